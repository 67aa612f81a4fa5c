import { Button, Center } from "@mantine/core";

interface LoadMoreProps {
  hasMore: boolean;
  loading: boolean;
  onLoadMore: () => void;
}

export function LoadMore({ hasMore, loading, onLoadMore }: LoadMoreProps) {
  if (!hasMore) {
    return null;
  }
  return (
    <Center mt="sm">
      <Button variant="default" loading={loading} onClick={onLoadMore}>
        Load more
      </Button>
    </Center>
  );
}
