/**
 * Short names for the generated API types in `schema.d.ts`. Nothing here is
 * written by hand except where the app knowingly deviates (noted inline).
 */
import type { components } from "./schema";

type Schemas = components["schemas"];

export type User = Schemas["User"];
export type Credentials = Schemas["CredentialsRequest"];
export type Role = Schemas["RoleEnum"];
export type Project = Schemas["Project"];
export type ProjectList = Schemas["PaginatedProjectList"];
export type ProjectRequest = Schemas["ProjectRequest"];
export type Question = Schemas["ProjectQuestions"][number];
export type QuestionKind = Question["kind"];
export type AssignmentStrategy = Schemas["AssignmentEnum"];
export type Membership = Schemas["Membership"];
export type MembershipList = Schemas["PaginatedMembershipList"];
export type Queued = Schemas["Queued"];
