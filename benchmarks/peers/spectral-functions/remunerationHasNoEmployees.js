// NHSE22-REM-NOEMP: no member of a committee of type `remuneration` is a board member with
// `icb_employee: true`. A cross-reference (committee member id -> board member), so JSON Schema
// alone cannot express it. `input` is the whole document (the rule's `given` is `$`).
export default (input) => {
  const members = input && input.board && Array.isArray(input.board.members) ? input.board.members : null;
  const committees = input && Array.isArray(input.committees) ? input.committees : null;
  if (members === null || committees === null) {
    return [{ message: 'board.members or committees is not stated in the constitution' }];
  }
  const employees = new Set(
    members.filter((m) => m && m.icb_employee === true).map((m) => m.id),
  );
  const results = [];
  committees.forEach((c, ci) => {
    if (!c || c.type !== 'remuneration' || !Array.isArray(c.members)) return;
    c.members.forEach((id, mi) => {
      if (employees.has(id)) {
        results.push({
          message: `remuneration committee member ${id} is an ICB employee`,
          path: ['committees', ci, 'members', mi],
        });
      }
    });
  });
  return results;
};
