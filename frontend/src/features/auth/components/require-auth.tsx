import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router";
import { PageLoader } from "@/components/ui/query-state";
import { useMe } from "../api/get-me";

export interface LoginLocationState {
  from?: string;
}

/** Renders children for signed-in users; sends anonymous visitors to /login and back afterwards. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();

  if (me.isPending) {
    return <PageLoader />;
  }
  if (me.isError) {
    // Not a 401 (that resolves to null), so the server is unreachable or failing;
    // the error boundary shows it with a retry.
    throw me.error;
  }
  if (!me.data) {
    const state: LoginLocationState = {
      from: `${location.pathname}${location.search}${location.hash}`,
    };
    return <Navigate to="/login" replace state={state} />;
  }
  return children;
}
