const formatter = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** A `<time>` element with a localised label and the ISO value for machines. */
export function DateTime({ value }: { value: string }) {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    return <>{value}</>;
  }
  return <time dateTime={value}>{formatter.format(date)}</time>;
}
