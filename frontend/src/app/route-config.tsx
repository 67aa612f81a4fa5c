import type { RouteObject } from "react-router";
import { RequireAuth } from "@/features/auth/components/require-auth";
import { AppLayout } from "./routes/app-layout";
import { LoginRoute } from "./routes/login";
import { NotFound } from "./routes/not-found";
import { ProjectRoute } from "./routes/project";
import { ProjectsRoute } from "./routes/projects";
import { RouteError } from "./routes/route-error";

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
      { path: "*", element: <NotFound /> },
    ],
  },
];
