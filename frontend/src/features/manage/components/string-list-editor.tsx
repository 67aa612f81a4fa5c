import { ActionIcon, Button, Group, Input, Stack, TextInput } from "@mantine/core";
import { errorAt, type ErrorMap } from "../utils/error-map";
import { moveItem, removeAt, replaceAt } from "../utils/list";
import { RowControls } from "./row-controls";

interface StringListEditorProps {
  label: string;
  description?: string;
  /** Names one entry in labels, e.g. "Option" → "Option 2". */
  itemName: string;
  values: readonly string[];
  onChange: (values: string[]) => void;
  /** Errors relative to the list: `""` for the list, `"2"` for its third entry. */
  errors: ErrorMap;
  /** Whether order matters (strength labels, rubric levels); shows move buttons. */
  ordered?: boolean;
  readOnly?: boolean;
}

/** An editable list of short labels: one row per entry, with add, remove and (optionally) reorder. */
export function StringListEditor({
  label,
  description,
  itemName,
  values,
  onChange,
  errors,
  ordered = false,
  readOnly = false,
}: StringListEditorProps) {
  const replace = (index: number, value: string) => onChange(replaceAt(values, index, value));
  return (
    <Input.Wrapper labelElement="div" label={label} description={description} error={errorAt(errors, "")}>
      <Stack gap={6} mt={4} role="group" aria-label={label}>
        {values.map((value, index) => {
          const name = `${itemName} ${index + 1}`;
          return (
            // Entries have no identity beyond their position; inputs are controlled, so index keys are safe.
            <Group key={index} gap={6} wrap="nowrap" align="flex-start">
              <TextInput
                aria-label={name}
                value={value}
                onChange={(event) => replace(index, event.currentTarget.value)}
                error={errorAt(errors, String(index))}
                readOnly={readOnly}
                style={{ flex: 1 }}
                size="xs"
              />
              {!readOnly &&
                (ordered ? (
                  <RowControls
                    name={name}
                    index={index}
                    count={values.length}
                    onMove={(to) => onChange(moveItem(values, index, to))}
                    onRemove={() => onChange(removeAt(values, index))}
                  />
                ) : (
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={`Remove ${name}`}
                    onClick={() => onChange(removeAt(values, index))}
                  >
                    ×
                  </ActionIcon>
                ))}
            </Group>
          );
        })}
        {!readOnly && (
          <Group>
            <Button size="compact-xs" variant="light" onClick={() => onChange([...values, ""])}>
              Add {itemName.toLowerCase()}
            </Button>
          </Group>
        )}
      </Stack>
    </Input.Wrapper>
  );
}
