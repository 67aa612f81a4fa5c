import { Center, Paper, Stack, Text, Title } from "@mantine/core";
import { Navigate, useLocation, useNavigate } from "react-router";
import { PageLoader } from "@/components/ui/query-state";
import { usePageTitle } from "@/components/ui/use-page-title";
import { useMe } from "@/features/auth/api/get-me";
import { LoginForm } from "@/features/auth/components/login-form";
import type { LoginLocationState } from "@/features/auth/components/require-auth";

/** Only same-site paths are honoured, so a crafted link can't bounce users elsewhere. */
function safeRedirect(state: unknown): string {
  const from = (state as LoginLocationState | null)?.from;
  return typeof from === "string" && from.startsWith("/") && !from.startsWith("//") && from !== "/login"
    ? from
    : "/";
}

export function LoginRoute() {
  const me = useMe();
  const location = useLocation();
  const navigate = useNavigate();
  const target = safeRedirect(location.state);
  usePageTitle("Sign in");

  if (me.isPending) {
    return <PageLoader />;
  }
  if (me.data) {
    return <Navigate to={target} replace />;
  }
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={380} component="main">
        <Stack>
          <div>
            <Title order={1} size="h2">
              Moot
            </Title>
            <Text c="dimmed" size="sm">
              Sign in to continue
            </Text>
          </div>
          <LoginForm onSuccess={() => void navigate(target, { replace: true })} />
        </Stack>
      </Paper>
    </Center>
  );
}
