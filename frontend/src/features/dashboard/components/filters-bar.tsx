import { Button, Group, MultiSelect, Paper, TagsInput, TextInput } from "@mantine/core";
import { useState } from "react";
import { hasFilters, isDay, isMetaCondition, rangeError, type DashboardFilters } from "../utils/filters";

export interface FilterOption {
  value: string;
  label: string;
}

interface FiltersBarProps {
  filters: DashboardFilters;
  annotators: FilterOption[];
  judges: FilterOption[];
  onChange: (filters: DashboardFilters) => void;
}

const ids = (values: string[]) => values.map(Number);

/** Date range, people, judges and item metadata; every change goes to the URL and the API. */
export function FiltersBar({ filters, annotators, judges, onChange }: FiltersBarProps) {
  const [metaError, setMetaError] = useState<string | null>(null);
  const patch = (change: Partial<DashboardFilters>) => onChange({ ...filters, ...change });
  const day = (value: string) => (isDay(value) ? value : undefined);

  return (
    <Paper withBorder p="sm" radius="md" component="form" aria-label="Filters" onSubmit={(event) => event.preventDefault()}>
      <Group align="flex-end" gap="sm">
        <TextInput
          type="date"
          label="From"
          w={160}
          value={filters.since ?? ""}
          max={filters.until}
          onChange={(event) => patch({ since: day(event.currentTarget.value) })}
        />
        <TextInput
          type="date"
          label="To"
          w={160}
          value={filters.until ?? ""}
          min={filters.since}
          error={rangeError(filters)}
          onChange={(event) => patch({ until: day(event.currentTarget.value) })}
        />
        <MultiSelect
          label="Annotators"
          placeholder={filters.annotators.length ? undefined : "Everyone"}
          data={annotators}
          value={filters.annotators.map(String)}
          onChange={(values) => patch({ annotators: ids(values) })}
          searchable
          clearable
          miw={200}
          maw={360}
        />
        <MultiSelect
          label="Judges"
          placeholder={filters.judges.length ? undefined : "Every judge"}
          data={judges}
          value={filters.judges.map(String)}
          onChange={(values) => patch({ judges: ids(values) })}
          searchable
          clearable
          miw={180}
          maw={320}
        />
        <TagsInput
          label="Item metadata"
          placeholder={filters.meta.length ? undefined : "key:value, then Enter"}
          value={filters.meta}
          error={metaError}
          onChange={(values) => {
            const valid = values.map((value) => value.trim()).filter(isMetaCondition);
            setMetaError(valid.length < values.length ? "Write key:value, e.g. language:de" : null);
            patch({ meta: [...new Set(valid)] });
          }}
          miw={200}
          maw={360}
        />
        {hasFilters(filters) && (
          <Button
            variant="subtle"
            onClick={() => {
              setMetaError(null);
              onChange({ annotators: [], judges: [], meta: [] });
            }}
          >
            Clear filters
          </Button>
        )}
      </Group>
    </Paper>
  );
}
