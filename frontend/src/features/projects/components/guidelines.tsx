import { Text, Typography } from "@mantine/core";
import Markdown from "react-markdown";
import remarkGfm from "remark-gfm";

/** Project guidelines as Markdown (with GitHub tables and lists); raw HTML is dropped. */
export function Guidelines({ source }: { source: string }) {
  if (!source.trim()) {
    return <Text c="dimmed">No guidelines yet.</Text>;
  }
  return (
    <Typography>
      <Markdown skipHtml remarkPlugins={[remarkGfm]}>
        {source}
      </Markdown>
    </Typography>
  );
}
