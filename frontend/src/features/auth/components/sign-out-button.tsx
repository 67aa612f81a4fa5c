import { Button } from "@mantine/core";
import { useNavigate } from "react-router";
import { useLogout } from "../api/logout";

export function SignOutButton() {
  const logout = useLogout();
  const navigate = useNavigate();
  return (
    <Button
      variant="default"
      size="sm"
      loading={logout.isPending}
      onClick={() =>
        logout.mutate(undefined, { onSuccess: () => void navigate("/login", { replace: true }) })
      }
    >
      Sign out
    </Button>
  );
}
