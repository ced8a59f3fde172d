// Whether the Glossary (Help → Glossary, F1) is open, and what it is filtered by.
export const help = $state({ glossary: false, query: "" });
