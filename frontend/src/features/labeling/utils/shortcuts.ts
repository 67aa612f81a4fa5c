/** The labeling screen's keyboard shortcuts, as shown in the help modal (and the feature README). */

export interface Shortcut {
  keys: string[];
  action: string;
}

export interface ShortcutGroup {
  title: string;
  shortcuts: Shortcut[];
}

export const SHORTCUT_GROUPS: ShortcutGroup[] = [
  {
    title: "Anywhere",
    shortcuts: [
      { keys: ["Enter"], action: "Submit (Ctrl+Enter inside a text field)" },
      { keys: ["s"], action: "Skip this item" },
      { keys: ["j", "Tab"], action: "Next question" },
      { keys: ["k", "Shift+Tab"], action: "Previous question" },
      { keys: ["g"], action: "Open or close the guidelines" },
      { keys: ["d"], action: "Show or hide differences (two responses)" },
      { keys: ["?"], action: "This help" },
      { keys: ["Backspace"], action: "Clear the focused answer" },
    ],
  },
  {
    title: "Pairwise",
    shortcuts: [
      { keys: ["1"], action: "Response A is better" },
      { keys: ["2"], action: "Tie (when allowed)" },
      { keys: ["3"], action: "Response B is better" },
      { keys: ["q", "w", "e", "…"], action: "Strength, weakest first" },
      { keys: ["x"], action: "Toggle “both bad”" },
    ],
  },
  {
    title: "Rating, rubric and labels",
    shortcuts: [
      { keys: ["↑", "↓"], action: "Move between rows" },
      {
        keys: ["1", "…", "9", "0"],
        action: "Rating: pick the value · Rubric: pick the level · Labels: toggle the option",
      },
    ],
  },
  {
    title: "Ranking",
    shortcuts: [
      { keys: ["↑", "↓"], action: "Move the focus (or the picked-up response)" },
      { keys: ["Space"], action: "Pick up or drop the focused response" },
      { keys: ["t"], action: "Tie with the one above (again to untie)" },
      { keys: ["c"], action: "Confirm the order as shown" },
    ],
  },
  {
    title: "Text",
    shortcuts: [
      { keys: ["Escape"], action: "Leave the text field" },
      { keys: ["Ctrl+Enter"], action: "Submit" },
    ],
  },
];
