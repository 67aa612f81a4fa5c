import { Alert, Button, PasswordInput, Stack, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import type { User } from "@/api/types";
import { errorMessage } from "@/components/ui/error-message";
import { useLogin } from "../api/login";

interface LoginFormProps {
  onSuccess: (user: User) => void;
}

export function LoginForm({ onSuccess }: LoginFormProps) {
  const login = useLogin();
  const form = useForm({
    mode: "uncontrolled",
    initialValues: { username: "", password: "" },
    validate: {
      username: (value) => (value.trim() ? null : "Enter your username"),
      password: (value) => (value ? null : "Enter your password"),
    },
  });

  const handleSubmit = form.onSubmit((values) => {
    login.mutate(values, { onSuccess: (user) => onSuccess(user) });
  });

  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack>
        {login.isError && (
          <Alert color="red" role="alert" title="Sign-in failed">
            {errorMessage(login.error)}
          </Alert>
        )}
        <TextInput
          label="Username"
          autoComplete="username"
          required
          withAsterisk={false}
          data-autofocus
          key={form.key("username")}
          {...form.getInputProps("username")}
        />
        <PasswordInput
          label="Password"
          autoComplete="current-password"
          required
          withAsterisk={false}
          key={form.key("password")}
          {...form.getInputProps("password")}
        />
        <Button type="submit" loading={login.isPending}>
          Sign in
        </Button>
      </Stack>
    </form>
  );
}
