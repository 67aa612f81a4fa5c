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
export type ProjectPatch = Schemas["PatchedProjectRequest"];
export type PairwiseQuestion = Schemas["PairwiseQuestion"];
export type RankingQuestion = Schemas["RankingQuestion"];
export type RatingQuestion = Schemas["RatingQuestion"];
export type RubricQuestion = Schemas["RubricQuestion"];
export type LabelsQuestion = Schemas["LabelsQuestion"];
export type TextQuestion = Schemas["TextQuestion"];
export type RatingDimension = Schemas["RatingDimension"];
export type RubricCriterion = Schemas["RubricCriterion"];
export type ItemCriterion = Schemas["ItemCriterion"];
export type Item = Schemas["Item"];
export type ItemList = Schemas["PaginatedItemList"];
export type Candidate = Schemas["Candidate"];
export type Annotation = Schemas["Annotation"];
export type AnnotationList = Schemas["PaginatedAnnotationList"];
export type AnnotationVersion = Schemas["AnnotationVersion"];
export type ReviewStatus = Schemas["ReviewStatusEnum"];
export type ReviewDecision = Schemas["DecisionEnum"];
export type ReviewRequest = Schemas["ReviewRequestRequest"];
export type Review = Schemas["Review"];
export type GoldAccuracy = Schemas["GoldAccuracy"];
export type MemberAddRequest = Schemas["MemberAddRequest"];
export type NextItem = Schemas["NextItem"];
export type LabelingItem = Schemas["LabelingItem"];
export type ShownCandidate = Schemas["ShownCandidate"];
export type LabelingProgress = Schemas["Progress"];
export type SubmitRequest = Schemas["SubmitRequest"];
export type ImportRequest = Schemas["ItemImportRequest"];
export type ImportFormat = Schemas["FormatEnum"];
export type ImportFileType = Schemas["FileTypeEnum"];
export type ImportResult = Schemas["ImportResult"];
export type ImportError = Schemas["ImportError"];
export type Judge = Schemas["Judge"];
export type JudgeKind = Schemas["KindEnum"];
export type JudgeRequest = Schemas["JudgeRequest"];
export type JudgePatch = Schemas["PatchedJudgeChangeRequest"];
export type JudgeRun = Schemas["JudgeRun"];
export type JudgeRunList = Schemas["PaginatedJudgeRunList"];
export type JudgeRunStatus = Schemas["JudgeRunStatusEnum"];
export type JudgeTemplates = Schemas["Templates"];
export type RunStartRequest = Schemas["RunStartRequest"];
export type Prediction = Schemas["Prediction"];
export type PredictionList = Schemas["PaginatedPredictionList"];
export type ItemPrediction = Schemas["ItemPrediction"];
export type Suggestion = Schemas["Suggestion"];
export type Suggestions = Schemas["Suggestions"];
