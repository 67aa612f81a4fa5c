import { Alert, Button, Grid, Group, Kbd, NavLink, Paper, ScrollArea, SegmentedControl, Stack, Text } from "@mantine/core";
import { useHotkeys } from "@mantine/hooks";
import { useState } from "react";
import type { Annotation, Project, ReviewDecision } from "@/api/types";
import { DateTime } from "@/components/ui/date-time";
import { LoadMore } from "@/components/ui/load-more";
import { PageLoader, QueryError } from "@/components/ui/query-state";
import { useAnnotations, type AnnotationFilters } from "@/features/items/api/get-annotations";
import { ReviewDetail } from "./review-detail";

const PENDING_FILTERS: AnnotationFilters = { status: "submitted", review_status: "pending" };

type Layout = "list" | "single";

function PendingList({
  rows,
  selectedId,
  onSelect,
}: {
  rows: Annotation[];
  selectedId: number | null;
  onSelect: (id: number) => void;
}) {
  return (
    <ScrollArea.Autosize mah="70vh" type="auto">
      <nav aria-label="Pending annotations" data-testid="pending-list">
        {rows.map((annotation) => (
          <NavLink
            key={annotation.id}
            component="button"
            type="button"
            active={annotation.id === selectedId}
            aria-current={annotation.id === selectedId ? "true" : undefined}
            label={`${annotation.annotator} · item ${annotation.item}`}
            description={<DateTime value={annotation.updated_at} />}
            onClick={() => onSelect(annotation.id)}
            data-testid="pending-annotation"
          />
        ))}
      </nav>
    </ScrollArea.Autosize>
  );
}

/** Submitted annotations waiting for review, as a list beside the open one or one at a time. */
export function ReviewQueue({ project }: { project: Project }) {
  const pending = useAnnotations(project.id, PENDING_FILTERS);
  const [layout, setLayout] = useState<Layout>("list");
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [lastDecision, setLastDecision] = useState<string | null>(null);

  const rows = pending.data?.pages.flatMap((page) => page.results) ?? [];
  const total = pending.data?.pages[0]?.count ?? rows.length;
  // Reviewed elsewhere or not chosen yet: fall back to the oldest pending one.
  const current = rows.find((row) => row.id === selectedId) ?? rows[0] ?? null;
  const index = current ? rows.indexOf(current) : -1;

  const go = (offset: number) => {
    const next = rows[index + offset];
    if (next) setSelectedId(next.id);
  };

  useHotkeys([
    ["j", () => go(1)],
    ["k", () => go(-1)],
  ]);

  const handleReviewed = (annotation: Annotation, decision: ReviewDecision) => {
    // Move on to the next one now; the reviewed one leaves the list when it refetches.
    const next = rows[index + 1] ?? rows[index - 1] ?? null;
    setSelectedId(next?.id ?? null);
    setLastDecision(
      `${decision === "accept" ? "Accepted" : "Rejected"} ${annotation.annotator}'s annotation of item ${annotation.item}.`,
    );
  };

  if (pending.isPending) {
    return <PageLoader label="Loading the review queue" />;
  }
  if (pending.isError) {
    return (
      <QueryError error={pending.error} title="Could not load the review queue" onRetry={() => void pending.refetch()} />
    );
  }

  const detail = current ? (
    <ReviewDetail
      key={current.id}
      project={project}
      annotation={current}
      onReviewed={(decision) => handleReviewed(current, decision)}
    />
  ) : (
    <Alert color="teal" title="Nothing to review">
      Every submitted annotation has been reviewed. New ones appear here as annotators submit them.
    </Alert>
  );

  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Group gap="sm">
          <Text fw={600} data-testid="pending-count">
            {total} pending
          </Text>
          {lastDecision && (
            <Text size="sm" c="dimmed" role="status">
              {lastDecision}
            </Text>
          )}
        </Group>
        <Group gap="sm">
          <Text size="xs" c="dimmed">
            <Kbd>a</Kbd> accept · <Kbd>r</Kbd> reject · <Kbd>j</Kbd>/<Kbd>k</Kbd> next/previous
          </Text>
          <SegmentedControl
            size="xs"
            value={layout}
            onChange={(value) => setLayout(value === "single" ? "single" : "list")}
            data={[
              { value: "list", label: "List" },
              { value: "single", label: "One at a time" },
            ]}
            aria-label="Layout"
          />
        </Group>
      </Group>
      {layout === "list" && rows.length > 0 ? (
        <Grid>
          <Grid.Col span={{ base: 12, md: 3 }}>
            <Paper withBorder p={4}>
              <PendingList rows={rows} selectedId={current?.id ?? null} onSelect={setSelectedId} />
              <LoadMore
                hasMore={pending.hasNextPage}
                loading={pending.isFetchingNextPage}
                onLoadMore={() => void pending.fetchNextPage()}
              />
            </Paper>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 9 }}>{detail}</Grid.Col>
        </Grid>
      ) : (
        <Stack>
          {rows.length > 0 && (
            <Group gap="xs">
              <Button size="xs" variant="default" disabled={index <= 0} onClick={() => go(-1)}>
                Previous
              </Button>
              <Text size="sm">
                {index + 1} of {total}
              </Text>
              <Button
                size="xs"
                variant="default"
                disabled={index >= rows.length - 1 && !pending.hasNextPage}
                onClick={() => (index >= rows.length - 1 ? void pending.fetchNextPage() : go(1))}
              >
                Next
              </Button>
            </Group>
          )}
          {detail}
        </Stack>
      )}
    </Stack>
  );
}
