import { Typography } from "@mantine/core";
import Markdown from "react-markdown";
import rehypeHighlight from "rehype-highlight";
import remarkGfm from "remark-gfm";

/** Model or user text as Markdown with code highlighting; raw HTML is dropped, never rendered. */
export function RichText({ source }: { source: string }) {
  return (
    <Typography style={{ overflowWrap: "anywhere" }}>
      <Markdown skipHtml remarkPlugins={[remarkGfm]} rehypePlugins={[rehypeHighlight]}>
        {source}
      </Markdown>
    </Typography>
  );
}
