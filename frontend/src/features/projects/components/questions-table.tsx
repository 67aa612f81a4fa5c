import { Badge, Code, Table, Text } from "@mantine/core";
import type { Question } from "@/api/types";
import { describeQuestion } from "../utils/describe-question";

export function QuestionsTable({ questions }: { questions: Question[] }) {
  if (questions.length === 0) {
    return <Text c="dimmed">This project has no questions.</Text>;
  }
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table verticalSpacing="xs" aria-label="Questions">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>ID</Table.Th>
            <Table.Th>Kind</Table.Th>
            <Table.Th>Prompt</Table.Th>
            <Table.Th>Required</Table.Th>
            <Table.Th>Settings</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {questions.map((question) => {
            return (
              <Table.Tr key={question.id}>
                <Table.Td>
                  <Code>{question.id}</Code>
                </Table.Td>
                <Table.Td style={{ whiteSpace: "nowrap" }}>
                  <Badge variant="outline" style={{ overflow: "visible" }}>
                    {question.kind}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {question.prompt}
                  {question.help && (
                    <Text size="xs" c="dimmed">
                      {question.help}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{question.required ? "Yes" : "No"}</Table.Td>
                <Table.Td>
                  <Text size="sm">{describeQuestion(question)}</Text>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
