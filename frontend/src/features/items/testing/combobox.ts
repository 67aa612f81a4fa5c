import { waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

/** The listbox a Mantine Select opened for `input` (found through aria-controls, since every Select renders one). */
export async function openListbox(input: HTMLElement): Promise<HTMLElement> {
  await userEvent.click(input);
  return waitFor(() => {
    const id = input.getAttribute("aria-controls");
    const listbox = id ? document.getElementById(id) : null;
    if (!listbox) {
      throw new Error("the select did not open");
    }
    return listbox;
  });
}

/** Opens a Mantine Select and clicks one of its options. */
export async function pickOption(input: HTMLElement, name: string | RegExp) {
  const listbox = await openListbox(input);
  // Dropdown transitions don't finish in jsdom, so options count as hidden there.
  await userEvent.click(within(listbox).getByRole("option", { name, hidden: true }));
}
