import { Button, type ButtonProps } from "@mantine/core";
import { Link } from "react-router";

/** Opens the labeling screen of a project. */
export function LabelButton({ projectId, ...props }: { projectId: number } & Omit<ButtonProps, "component">) {
  return (
    <Button component={Link} to={`/projects/${projectId}/label`} {...props}>
      {props.children ?? "Start labeling"}
    </Button>
  );
}
