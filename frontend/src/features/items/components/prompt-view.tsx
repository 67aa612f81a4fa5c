import { Badge, Paper, Stack } from "@mantine/core";
import type { Item } from "@/api/types";
import { RichText } from "./rich-text";

const ROLE_COLORS: Record<string, string> = { system: "gray", user: "blue", assistant: "grape" };

/** A prompt as plain text, or a chat shown turn by turn. */
export function PromptView({ prompt }: { prompt: Item["prompt"] }) {
  if (typeof prompt === "string") {
    return (
      <Paper withBorder p="sm" data-testid="prompt">
        <RichText source={prompt} />
      </Paper>
    );
  }
  return (
    <Stack gap="xs" data-testid="prompt">
      {prompt.map((turn, index) => (
        // Turns have no ids; their order is fixed.
        <Paper key={index} withBorder p="sm" data-testid="turn">
          <Badge size="sm" variant="light" color={ROLE_COLORS[turn.role] ?? "gray"} mb={4}>
            {turn.role}
          </Badge>
          <RichText source={turn.content} />
        </Paper>
      ))}
    </Stack>
  );
}
