import { createTheme, InputWrapper } from "@mantine/core";

export const theme = createTheme({
  primaryColor: "indigo",
  // Focus rings show for keyboard navigation only, never hidden entirely.
  focusRing: "auto",
  components: {
    InputWrapper: InputWrapper.extend({
      // Server errors can hold several lines (one per nested field).
      styles: { error: { whiteSpace: "pre-line" } },
    }),
  },
});
