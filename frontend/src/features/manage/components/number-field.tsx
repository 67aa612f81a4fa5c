import { NumberInput, type NumberInputProps } from "@mantine/core";
import { useState } from "react";

interface NumberFieldProps extends Omit<NumberInputProps, "value" | "onChange"> {
  /** NaN while the box is empty or holds something that is not a number yet. */
  value: number;
  onChange: (value: number) => void;
}

function toNumber(text: string | number): number {
  if (typeof text === "number") return text;
  return text.trim() === "" ? Number.NaN : Number(text);
}

/**
 * A number input bound to a plain number. It keeps what is being typed ("-",
 * "0.") until it parses, so partial input isn't wiped, and reports NaN
 * meanwhile so validation can say a number is needed.
 */
export function NumberField({ value, onChange, ...props }: NumberFieldProps) {
  const [text, setText] = useState<string | number>(Number.isFinite(value) ? value : "");
  const [shown, setShown] = useState(value);
  if (!Object.is(shown, value)) {
    // The value changed from outside (another tab, a reset): show it unless it is what was typed.
    setShown(value);
    if (!Object.is(toNumber(text), value)) {
      setText(Number.isFinite(value) ? value : "");
    }
  }
  return (
    <NumberInput
      {...props}
      value={text}
      onChange={(next) => {
        setText(next);
        const parsed = toNumber(next);
        setShown(parsed);
        onChange(parsed);
      }}
    />
  );
}
