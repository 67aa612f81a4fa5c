import "highlight.js/styles/github-dark.css";
import { Typography } from "@mantine/core";
import { memo } from "react";
import Markdown from "react-markdown";
import rehypeHighlight from "rehype-highlight";
import remarkGfm from "remark-gfm";

const remarkPlugins = [remarkGfm];
const rehypePlugins = [rehypeHighlight];

/**
 * Markdown as people wrote it (GitHub tables, task lists, fenced code with highlighting).
 * Raw HTML is dropped, never rendered: candidate texts are untrusted model output.
 */
export const MarkdownText = memo(function MarkdownText({ source }: { source: string }) {
  return (
    <Typography style={{ overflowWrap: "anywhere" }}>
      <Markdown skipHtml remarkPlugins={remarkPlugins} rehypePlugins={rehypePlugins}>
        {source}
      </Markdown>
    </Typography>
  );
});
