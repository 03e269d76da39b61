"""The rules language: parser (Lark) -> AST -> static checker -> compiled closures / explainer."""
