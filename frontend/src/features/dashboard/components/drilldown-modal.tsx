import { Anchor, Group, Modal, Select, Stack, Switch, Table, Text } from "@mantine/core";
import { useState } from "react";
import { Link } from "react-router";
import type { Drilldown } from "@/api/types";
import { PageLoader, QueryError } from "@/components/ui/query-state";
import { useConfusionItems } from "../api/get-confusion-items";
import { useMetricItems } from "../api/get-metric-items";
import type { DrillTarget } from "../utils/drilldown";
import type { ScopeQuery } from "../utils/filters";
import { formatCount } from "../utils/format";

interface ItemsResult {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  data: Drilldown | undefined;
  refetch: () => unknown;
}

function ItemList({ projectId, result }: { projectId: number; result: ItemsResult }) {
  if (result.isError) {
    return <QueryError error={result.error} title="Could not load the items" onRetry={() => void result.refetch()} />;
  }
  if (result.isPending || !result.data) {
    return <PageLoader label="Loading items" />;
  }
  const { count, items } = result.data;
  if (count === 0) {
    return <Text c="dimmed">No items.</Text>;
  }
  return (
    <Stack gap="xs">
      <Text size="sm" data-testid="drilldown-count">
        {formatCount(count)} {count === 1 ? "item" : "items"}
        {items.length < count ? `, the first ${formatCount(items.length)} listed` : ""}
      </Text>
      <Table verticalSpacing={4} aria-label="Items behind the figure">
        <Table.Tbody>
          {items.map((item) => (
            <Table.Tr key={item.id} data-testid="drilldown-item">
              <Table.Td>
                <Anchor component={Link} to={`/projects/${projectId}/items?item=${item.id}`} target="_blank">
                  {item.external_id || `#${item.id}`}
                </Anchor>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

type MetricTarget = Extract<DrillTarget, { kind: "metric" }>;
type ConfusionTarget = Extract<DrillTarget, { kind: "confusion" }>;

function MetricItems({ projectId, target, scope }: { projectId: number; target: MetricTarget; scope: ScopeQuery }) {
  const [part, setPart] = useState(target.query.part);
  const [disagree, setDisagree] = useState(target.query.disagree ?? false);
  const query = { ...target.query, part, disagree: disagree || undefined };
  const result = useMetricItems(projectId, query, scope);
  return (
    <Stack>
      {target.query.member !== undefined && (
        <Group>
          {target.parts && target.parts.length > 1 && (
            <Select label="Part" size="xs" w={200} data={target.parts} value={part} onChange={(value) => value && setPart(value)} allowDeselect={false} />
          )}
          <Switch
            label="Only disagreements"
            checked={disagree}
            onChange={(event) => setDisagree(event.currentTarget.checked)}
            mt={target.parts && target.parts.length > 1 ? 20 : 0}
          />
        </Group>
      )}
      <ItemList projectId={projectId} result={result} />
    </Stack>
  );
}

function ConfusionItems({ projectId, target, scope }: { projectId: number; target: ConfusionTarget; scope: ScopeQuery }) {
  const result = useConfusionItems(projectId, target.query, scope);
  return <ItemList projectId={projectId} result={result} />;
}

interface DrilldownModalProps {
  projectId: number;
  target: DrillTarget | null;
  scope: ScopeQuery;
  onClose: () => void;
}

/** The items behind a clicked figure, each opening in the item browser. */
export function DrilldownModal({ projectId, target, scope, onClose }: DrilldownModalProps) {
  return (
    <Modal opened={target !== null} onClose={onClose} title={target?.title ?? ""} size="lg">
      {target?.kind === "metric" && <MetricItems key={JSON.stringify(target)} projectId={projectId} target={target} scope={scope} />}
      {target?.kind === "confusion" && <ConfusionItems projectId={projectId} target={target} scope={scope} />}
    </Modal>
  );
}
