import { useDocumentTitle } from "@mantine/hooks";

/** Sets the browser tab title, suffixed with the product name. */
export function usePageTitle(title: string | null) {
  useDocumentTitle(title ? `${title} · Moot` : "Moot");
}
