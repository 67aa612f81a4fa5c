import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client, unwrap } from "@/api/client";
import type { Credentials, User } from "@/api/types";
import { meQueryKey } from "./get-me";

export function login(credentials: Credentials): Promise<User> {
  return unwrap(client.POST("/api/auth/login/", { body: credentials }));
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: (user) => {
      // Anything cached belonged to the previous (anonymous or other) session.
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== meQueryKey[0] });
      queryClient.setQueryData(meQueryKey, user);
    },
  });
}
