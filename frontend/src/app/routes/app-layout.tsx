import { Anchor, AppShell, Container, Group, Text, VisuallyHidden } from "@mantine/core";
import { Link, Outlet } from "react-router";
import { SignOutButton } from "@/features/auth/components/sign-out-button";
import { useCurrentUser } from "@/features/auth/hooks/use-current-user";

export function AppLayout() {
  const user = useCurrentUser();
  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Anchor component={Link} to="/" fw={700} size="lg" underline="never">
            Moot
          </Anchor>
          <Group gap="sm">
            <Text size="sm">
              <VisuallyHidden>Signed in as </VisuallyHidden>
              {user.username}
            </Text>
            <SignOutButton />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        <Container size="xl">
          <Outlet />
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}
