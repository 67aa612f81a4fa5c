import { Button, Group, NumberInput, SegmentedControl, Stack, Text, TextInput } from "@mantine/core";
import { useDebouncedCallback } from "@mantine/hooks";
import { useRef, useState } from "react";
import type { ItemFilters } from "../utils/filters";

interface ItemFiltersBarProps {
  filters: ItemFilters;
  /** Changes some filters; keys set to undefined are cleared. */
  onPatch: (patch: Partial<ItemFilters>) => void;
  onClear: () => void;
}

interface Drafts {
  min: string | number;
  max: string | number;
  model: string;
  externalId: string;
}

function draftsOf(filters: ItemFilters): Drafts {
  return {
    min: filters.min_annotations ?? "",
    max: filters.max_annotations ?? "",
    model: filters.model ?? "",
    externalId: filters.external_id ?? "",
  };
}

function toCount(value: string | number): number | undefined {
  if (typeof value === "number") return Number.isInteger(value) && value >= 0 ? value : undefined;
  return /^\d+$/.test(value.trim()) ? Number(value) : undefined;
}

const TYPING_DELAY_MS = 300;

/** Filters for the item list. Choices apply at once; typed values apply after a short pause. */
export function ItemFiltersBar({ filters, onPatch, onClear }: ItemFiltersBarProps) {
  const [drafts, setDrafts] = useState(() => draftsOf(filters));
  // Follow the URL when it changes elsewhere (clear, back button), not while typing.
  const [synced, setSynced] = useState(filters);
  if (JSON.stringify(synced) !== JSON.stringify(filters)) {
    setSynced(filters);
    setDrafts(draftsOf(filters));
  }
  // Several fields typed within one pause are sent together.
  const pending = useRef<Partial<ItemFilters>>({});
  const commit = useDebouncedCallback(() => {
    const patch = pending.current;
    pending.current = {};
    onPatch(patch);
  }, TYPING_DELAY_MS);
  const type = (patch: Partial<Drafts>, filterPatch: Partial<ItemFilters>) => {
    setDrafts((previous) => ({ ...previous, ...patch }));
    pending.current = { ...pending.current, ...filterPatch };
    commit();
  };

  return (
    <Stack gap="xs" role="search" aria-label="Filter items">
      <Group align="flex-end" wrap="wrap">
        <div>
          <Text size="sm" fw={500} id="status-filter">
            Status
          </Text>
          <SegmentedControl
            aria-labelledby="status-filter"
            size="xs"
            value={filters.status ?? "any"}
            onChange={(value) => onPatch({ status: value === "open" || value === "done" ? value : undefined })}
            data={[
              { value: "any", label: "Any" },
              { value: "open", label: "Open" },
              { value: "done", label: "Done" },
            ]}
          />
        </div>
        <div>
          <Text size="sm" fw={500} id="gold-filter">
            Gold
          </Text>
          <SegmentedControl
            aria-labelledby="gold-filter"
            size="xs"
            value={filters.gold === undefined ? "any" : String(filters.gold)}
            onChange={(value) => onPatch({ gold: value === "any" ? undefined : value === "true" })}
            data={[
              { value: "any", label: "Any" },
              { value: "true", label: "Gold" },
              { value: "false", label: "Not gold" },
            ]}
          />
        </div>
        <NumberInput
          label="Min annotations"
          size="xs"
          w={130}
          min={0}
          allowDecimal={false}
          allowNegative={false}
          value={drafts.min}
          onChange={(value) => type({ min: value }, { min_annotations: toCount(value) })}
        />
        <NumberInput
          label="Max annotations"
          size="xs"
          w={130}
          min={0}
          allowDecimal={false}
          allowNegative={false}
          value={drafts.max}
          onChange={(value) => type({ max: value }, { max_annotations: toCount(value) })}
        />
        <TextInput
          label="Source model"
          size="xs"
          w={180}
          value={drafts.model}
          onChange={(event) => {
            const model = event.currentTarget.value;
            type({ model }, { model: model.trim() || undefined });
          }}
        />
        <TextInput
          label="External id"
          size="xs"
          w={180}
          value={drafts.externalId}
          onChange={(event) => {
            const externalId = event.currentTarget.value;
            type({ externalId }, { external_id: externalId.trim() || undefined });
          }}
        />
        <Button
          size="xs"
          variant="subtle"
          onClick={() => {
            commit.cancel();
            pending.current = {};
            onClear();
          }}
        >
          Clear filters
        </Button>
      </Group>
    </Stack>
  );
}
