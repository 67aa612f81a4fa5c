import { MantineProvider } from "@mantine/core";
import { QueryClientProvider } from "@tanstack/react-query";
import { useEffect, useState, type ReactNode } from "react";
import { ServerStatusBanner } from "@/components/ui/server-status-banner";
import { cspNonce, shareCspNonce } from "@/lib/csp-nonce";
import { createQueryClient, refetchFailed } from "@/lib/query-client";
import { serverStatus } from "@/lib/server-status";
import { theme } from "./theme";

// Mantine writes <style> elements (theme variables, responsive props, scroll locks under modals);
// the page's policy lets them in only with its nonce.
const styleNonce = cspNonce();
shareCspNonce(styleNonce);
const getStyleNonce = styleNonce === undefined ? undefined : () => styleNonce;

export function AppProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  // Screens that failed to load while the server was down load again once it is back.
  useEffect(() => serverStatus.onBack(() => void refetchFailed(queryClient)), [queryClient]);
  return (
    <MantineProvider theme={theme} defaultColorScheme="auto" getStyleNonce={getStyleNonce}>
      <QueryClientProvider client={queryClient}>
        <ServerStatusBanner />
        {children}
      </QueryClientProvider>
    </MantineProvider>
  );
}
