import { Alert, Button, Fieldset, Group, List, NumberInput, Progress, SimpleGrid, Stack, Text } from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { isApiError, isRecord } from "@/api/client";
import { formatPercent } from "@/features/dashboard/utils/format";
import { useUpdateActiveLearning } from "../api/update-active-learning";
import type { ActiveLearning } from "../types";
import { failureMessage } from "../utils/failure";
import { mixErrors, mixProblem, mixRequest, valuesFromSettings, weightPath, type MixFormValues } from "../utils/mix-form";
import { normalisedShares, STRATEGIES } from "../utils/strategies";
import { Section } from "./section";

interface StrategyMixFormProps {
  projectId: number;
  active: ActiveLearning;
  canManage: boolean;
}

/**
 * The weighted mix of strategies that orders the queue, with each one's share of it as typed,
 * and when the head retrains. Managers change and save it; reviewers read it.
 *
 * Mounted afresh (keyed by the saved settings) whenever they change, here or elsewhere.
 */
export function StrategyMixForm({ projectId, active, canManage }: StrategyMixFormProps) {
  const update = useUpdateActiveLearning(projectId);
  const [otherErrors, setOtherErrors] = useState<string[]>([]);
  const form = useForm<MixFormValues>({ initialValues: valuesFromSettings(active) });
  const shares = normalisedShares(form.values.weights);

  const handleSubmit = form.onSubmit((values) => {
    setOtherErrors([]);
    const problem = mixProblem(values);
    if (problem) {
      form.setFieldError("strategies", problem);
      return;
    }
    update.mutate(mixRequest(values), {
      onSuccess: () => notifications.show({ color: "green", message: "Strategy mix saved; the queue is reordered shortly." }),
      onError: (error) => {
        if (isApiError(error, 400) && isRecord(error.body)) {
          const { fields, other } = mixErrors(error.body);
          form.setErrors(fields);
          setOtherErrors(other);
        } else {
          setOtherErrors([failureMessage(error)]);
        }
      },
    });
  });

  return (
    <Section title="Strategy mix">
      <form onSubmit={handleSubmit} noValidate aria-label="Strategy mix">
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            Each open item is ranked by every strategy; its priority is the weighted mix of those ranks. Only the shares
            matter: weights are divided by their sum.
            {!canManage && " Only managers and owners can change the mix."}
          </Text>
          {otherErrors.length > 0 && (
            <Alert color="red" title="The settings were not saved" role="alert">
              <List size="sm">
                {otherErrors.map((line) => (
                  <List.Item key={line}>{line}</List.Item>
                ))}
              </List>
            </Alert>
          )}
          <Fieldset variant="unstyled" disabled={!canManage} legend={<Text fw={500}>Weights</Text>}>
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="lg" verticalSpacing="md">
              {STRATEGIES.map((info) => {
                const share = shares?.[info.name] ?? null;
                return (
                  <Stack key={info.name} gap={6} data-testid={`strategy-${info.name}`}>
                    <NumberInput
                      label={info.label}
                      description={info.description}
                      min={0}
                      max={1}
                      step={0.05}
                      decimalScale={2}
                      allowNegative={false}
                      {...form.getInputProps(weightPath(info.name))}
                    />
                    <Group gap="xs" wrap="nowrap">
                      <Progress
                        value={(share ?? 0) * 100}
                        color={info.color}
                        style={{ flex: 1 }}
                        aria-label={`${info.label}: share of the mix`}
                      />
                      <Text size="sm" w={48} ta="right" data-testid={`share-${info.name}`}>
                        {formatPercent(share)}
                      </Text>
                    </Group>
                  </Stack>
                );
              })}
            </SimpleGrid>
            {typeof form.errors.strategies === "string" && (
              <Text size="sm" c="red" mt="sm" role="alert" data-testid="mix-error">
                {form.errors.strategies}
              </Text>
            )}
          </Fieldset>
          <Fieldset variant="unstyled" disabled={!canManage} legend={<Text fw={500}>Training and extra labels</Text>}>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <NumberInput
                label="Retrain every (labels)"
                description="New human labels between two trainings of the head; 0: only when asked"
                min={0}
                allowDecimal={false}
                allowNegative={false}
                {...form.getInputProps("retrain_every")}
              />
              <NumberInput
                label="Extra labels per item"
                description="Human disagreement: the most annotators asked for beyond the project's overlap"
                min={0}
                max={10}
                allowDecimal={false}
                allowNegative={false}
                {...form.getInputProps("extra_labels")}
              />
            </SimpleGrid>
          </Fieldset>
          {canManage && (
            <Group justify="flex-end">
              <Button variant="default" onClick={() => form.reset()} disabled={!form.isDirty()}>
                Undo changes
              </Button>
              <Button type="submit" loading={update.isPending}>
                Save
              </Button>
            </Group>
          )}
        </Stack>
      </form>
    </Section>
  );
}
