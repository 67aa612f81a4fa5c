import { Text } from "@mantine/core";
import { useEffect, useState } from "react";
import { formatDuration, type ItemClock } from "../utils/item-clock";

/** Time spent on this item, ticking once a second; it stops while the tab is hidden. */
export function ItemTimer({ clock }: { clock: ItemClock }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return (
    <Text
      size="sm"
      ff="monospace"
      aria-label="Time on this item"
      title="Time on this item (paused while the tab is hidden)"
    >
      ⏱ {formatDuration(clock.elapsed(now))}
    </Text>
  );
}
