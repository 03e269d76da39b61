// NHSE22-AUDIT-CHAIR: some committee of type `audit` is chaired by a board member with role
// `non_executive`. A cross-reference (committee chair id -> board member), so JSON Schema alone
// cannot express it. `input` is the whole document (the rule's `given` is `$`).
export default (input) => {
  const members = input && input.board && Array.isArray(input.board.members) ? input.board.members : null;
  const committees = input && Array.isArray(input.committees) ? input.committees : null;
  if (members === null || committees === null) {
    return [{ message: 'board.members or committees is not stated in the constitution' }];
  }
  const neds = new Set(
    members.filter((m) => m && m.role === 'non_executive').map((m) => m.id),
  );
  const ok = committees.some((c) => c && c.type === 'audit' && neds.has(c.chair));
  if (!ok) {
    return [{ message: 'no audit committee is chaired by a non-executive board member', path: ['committees'] }];
  }
  return [];
};
