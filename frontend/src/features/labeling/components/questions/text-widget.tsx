import { Textarea } from "@mantine/core";
import type { TextQuestion, TextState } from "../../utils/answers";
import type { WidgetProps } from "./widget-props";

type Props = WidgetProps<TextQuestion, TextState> & { label: string };

/** Free text. Typing never triggers shortcuts; Escape leaves the field, Ctrl+Enter submits. */
export function TextWidget({ question, state, disabled, onChange, label }: Props) {
  return (
    <Textarea
      aria-label={label}
      autosize
      minRows={3}
      maxRows={12}
      maxLength={question.max_length}
      value={state.text}
      disabled={disabled}
      placeholder="Type here · Esc leaves the field · Ctrl+Enter submits"
      description={`${state.text.length} / ${question.max_length}`}
      inputWrapperOrder={["label", "input", "description", "error"]}
      onChange={(event) => onChange({ ...state, text: event.currentTarget.value })}
    />
  );
}
