import type { RouteObject } from "react-router";
import { RequireAuth } from "@/features/auth/components/require-auth";
import { AppLayout } from "./routes/app-layout";
import { ExportsRoute } from "./routes/exports";
import { LoginRoute } from "./routes/login";
import { NotFound } from "./routes/not-found";
import { ImportRoute } from "./routes/import";
import { ItemsRoute } from "./routes/items";
import { JudgesRoute } from "./routes/judges";
import { LabelRoute } from "./routes/label";
import { MembersRoute } from "./routes/members";
import { ProjectRoute } from "./routes/project";
import { ProjectsRoute } from "./routes/projects";
import { ReviewRoute } from "./routes/review";
import { RouteError } from "./routes/route-error";
import { ProjectSettingsRoute } from "./routes/settings";

export const routes: RouteObject[] = [
  { path: "/login", element: <LoginRoute />, errorElement: <RouteError /> },
  {
    element: (
      <RequireAuth>
        <AppLayout />
      </RequireAuth>
    ),
    errorElement: <RouteError />,
    children: [
      { index: true, element: <ProjectsRoute /> },
      { path: "projects/:id", element: <ProjectRoute /> },
      { path: "projects/:id/label", element: <LabelRoute /> },
      { path: "projects/:id/settings", element: <ProjectSettingsRoute /> },
      { path: "projects/:id/import", element: <ImportRoute /> },
      { path: "projects/:id/exports", element: <ExportsRoute /> },
      { path: "projects/:id/items", element: <ItemsRoute /> },
      { path: "projects/:id/review", element: <ReviewRoute /> },
      { path: "projects/:id/judges", element: <JudgesRoute /> },
      {
        path: "projects/:id/dashboard",
        // The charts library is large and only this page needs it: load both on first visit.
        lazy: async () => ({ Component: (await import("./routes/dashboard")).DashboardRoute }),
      },
      {
        path: "projects/:id/active",
        // Its accuracy chart needs the charts library too: loaded on first visit, like the dashboard.
        lazy: async () => {
          const { ActiveLearningRoute } = await import("@/features/active/components/active-learning-route");
          return { element: <ActiveLearningRoute notFound={<NotFound title="Project not found" />} /> };
        },
      },
      { path: "projects/:id/members", element: <MembersRoute /> },
      { path: "*", element: <NotFound /> },
    ],
  },
];
