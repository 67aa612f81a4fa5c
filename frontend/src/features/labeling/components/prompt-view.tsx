import { Badge, Box, Paper, Stack, Title } from "@mantine/core";
import { memo } from "react";
import type { LabelingItem } from "@/api/types";
import { SCROLL_REGION_ATTR } from "../utils/key-input";
import { MarkdownText } from "./markdown-text";

const ROLE_COLORS: Record<string, string> = { user: "blue", assistant: "gray", system: "yellow" };

/** The prompt: Markdown text, or a chat as one bubble per turn with its role. */
export const PromptView = memo(function PromptView({ prompt }: { prompt: LabelingItem["prompt"] }) {
  return (
    <Paper withBorder component="section" aria-labelledby="prompt-heading" p="sm">
      <Title order={2} size="h5" id="prompt-heading" mb={6}>
        Prompt
      </Title>
      <Box
        {...{ [SCROLL_REGION_ATTR]: "" }}
        tabIndex={0}
        aria-label="Prompt text"
        style={{ maxHeight: "40vh", overflowY: "auto" }}
      >
        {typeof prompt === "string" ? (
          <MarkdownText source={prompt} />
        ) : (
          <Stack gap="xs" component="ol" style={{ listStyle: "none", margin: 0, padding: 0 }} aria-label="Conversation">
            {prompt.map((turn, index) => {
              const color = ROLE_COLORS[turn.role] ?? "grape";
              return (
                <Box component="li" key={index} data-testid="prompt-turn" data-role={turn.role}>
                  <Badge size="sm" variant="light" color={color} tt="none" mb={4}>
                    {turn.role}
                  </Badge>
                  <Paper
                    px="sm"
                    py={4}
                    radius="md"
                    bg={`var(--mantine-color-${color}-light)`}
                    ml={turn.role === "user" ? 0 : "md"}
                  >
                    <MarkdownText source={turn.content} />
                  </Paper>
                </Box>
              );
            })}
          </Stack>
        )}
      </Box>
    </Paper>
  );
});
