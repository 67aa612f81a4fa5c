import type { User } from "@/api/types";
import { useMe } from "../api/get-me";

/** The signed-in user; only valid below `RequireAuth`, which guarantees one exists. */
export function useCurrentUser(): User {
  const { data } = useMe();
  if (!data) {
    throw new Error("useCurrentUser must be used inside RequireAuth");
  }
  return data;
}
