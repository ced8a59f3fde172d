// What the canvas shows, kept while other screens are open: the journey and the selected node.
export const view = $state({ journey: 0, selected: null as string | null });
