import { Anchor, Badge, Drawer, Group, Pagination, Stack, Table, Text } from "@mantine/core";
import { useMemo } from "react";
import { useSearchParams } from "react-router";
import type { Item, Project } from "@/api/types";
import { DateTime } from "@/components/ui/date-time";
import { PageLoader, QueryError } from "@/components/ui/query-state";
import { useItem } from "../api/get-item";
import { useItems } from "../api/get-items";
import { applyFilters, filtersFromSearch, pageFromSearch, type ItemFilters } from "../utils/filters";
import { promptSummary } from "../utils/prompt";
import { ItemDetails } from "./item-details";
import { ItemFiltersBar } from "./item-filters-bar";

function ItemDrawer({ project, itemId, fromList, onClose }: { project: Project; itemId: number | null; fromList?: Item; onClose: () => void }) {
  const item = useItem(project.id, itemId);
  const shown = item.data ?? fromList;
  return (
    <Drawer
      opened={itemId !== null}
      onClose={onClose}
      position="right"
      size="xl"
      title={shown ? `Item ${shown.external_id}` : "Item"}
    >
      {shown ? (
        <ItemDetails project={project} item={shown} />
      ) : item.isError ? (
        <QueryError error={item.error} title="Could not load the item" onRetry={() => void item.refetch()} />
      ) : (
        <PageLoader label="Loading item" />
      )}
    </Drawer>
  );
}

function modelsOf(item: Item): string {
  const models = [...new Set(item.candidates.map((candidate) => candidate.model).filter(Boolean))];
  return models.join(", ");
}

/** A filterable, paginated table of a project's items; a row opens the item in a drawer. */
export function ItemBrowser({ project }: { project: Project }) {
  const [search, setSearch] = useSearchParams();
  const searchKey = search.toString();
  const filters = useMemo(() => filtersFromSearch(new URLSearchParams(searchKey)), [searchKey]);
  const page = pageFromSearch(search);
  const items = useItems(project.id, filters, page);
  const openParam = Number(search.get("item"));
  const openId = Number.isSafeInteger(openParam) && openParam > 0 ? openParam : null;

  const patchFilters = (patch: Partial<ItemFilters>) =>
    setSearch((previous) => {
      const next = applyFilters(previous, { ...filtersFromSearch(previous), ...patch });
      next.delete("page");
      return next;
    });
  const clearFilters = () =>
    setSearch((previous) => {
      const next = applyFilters(previous, {});
      next.delete("page");
      return next;
    });
  const setParam = (key: string, value: string | null) =>
    setSearch((previous) => {
      const next = new URLSearchParams(previous);
      if (value === null) next.delete(key);
      else next.set(key, value);
      return next;
    });

  let body;
  if (items.isPending) {
    body = <PageLoader label="Loading items" />;
  } else if (items.isError) {
    body = <QueryError error={items.error} title="Could not load items" onRetry={() => void items.refetch()} />;
  } else {
    const { results, count, next } = items.data;
    // The page size is the server's; a full page followed by more tells it.
    const totalPages = next ? Math.ceil(count / Math.max(results.length, 1)) : page;
    body =
      results.length === 0 ? (
        <Text c="dimmed">{count === 0 && page === 1 ? "No items match these filters." : "No items on this page."}</Text>
      ) : (
        <>
          <Table.ScrollContainer minWidth={760}>
            <Table highlightOnHover verticalSpacing="xs" aria-label="Items" data-testid="items-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Item</Table.Th>
                  <Table.Th>Prompt</Table.Th>
                  <Table.Th>Models</Table.Th>
                  <Table.Th>Annotations</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Added</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {results.map((item) => (
                  <Table.Tr
                    key={item.id}
                    data-testid="item-row"
                    onClick={() => setParam("item", String(item.id))}
                    style={{ cursor: "pointer" }}
                  >
                    <Table.Td>
                      <Anchor
                        component="button"
                        type="button"
                        fw={500}
                        onClick={(event) => {
                          event.stopPropagation();
                          setParam("item", String(item.id));
                        }}
                      >
                        {item.external_id}
                      </Anchor>
                    </Table.Td>
                    <Table.Td maw={360}>
                      <Text size="sm" truncate="end">
                        {promptSummary(item.prompt)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{modelsOf(item) || "—"}</Text>
                    </Table.Td>
                    <Table.Td>
                      {item.annotation_count} / {project.overlap}
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <Badge size="sm" variant="light" color={item.done ? "teal" : "blue"}>
                          {item.done ? "done" : "open"}
                        </Badge>
                        {item.gold !== null && item.gold !== undefined && (
                          <Badge size="sm" variant="light" color="yellow">
                            gold
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">
                        <DateTime value={item.created_at} />
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Group justify="space-between">
            <Text size="sm" c="dimmed">
              {count} item{count === 1 ? "" : "s"}
            </Text>
            {totalPages > 1 && (
              <Pagination
                total={totalPages}
                value={page}
                onChange={(value) => setParam("page", value === 1 ? null : String(value))}
                aria-label="Pages"
              />
            )}
          </Group>
        </>
      );
  }

  return (
    <Stack>
      <ItemFiltersBar filters={filters} onPatch={patchFilters} onClear={clearFilters} />
      {body}
      <ItemDrawer
        project={project}
        itemId={openId}
        fromList={items.data?.results.find((item) => item.id === openId)}
        onClose={() => setParam("item", null)}
      />
    </Stack>
  );
}
