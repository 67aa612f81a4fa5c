import { MantineProvider } from "@mantine/core";
import { QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { cspNonce, shareCspNonce } from "@/lib/csp-nonce";
import { createQueryClient } from "@/lib/query-client";
import { theme } from "./theme";

// Mantine writes <style> elements (theme variables, responsive props, scroll locks under modals);
// the page's policy lets them in only with its nonce.
const styleNonce = cspNonce();
shareCspNonce(styleNonce);
const getStyleNonce = styleNonce === undefined ? undefined : () => styleNonce;

export function AppProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  return (
    <MantineProvider theme={theme} defaultColorScheme="auto" getStyleNonce={getStyleNonce}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </MantineProvider>
  );
}
