// Every migration in order. Adding one means adding its class here; TypeORM then
// runs the new ones on start-up and in tests, from an empty database.
import { CreateOrganizationsAndUsers1763800000000 } from './1763800000000-CreateOrganizationsAndUsers';
import { CreateCourses1763800001000 } from './1763800001000-CreateCourses';
import { CreateGenerationTrace1763800002000 } from './1763800002000-CreateGenerationTrace';
import { CreateStatusHistoryAndApprovals1763800003000 } from './1763800003000-CreateStatusHistoryAndApprovals';
import { CreateLessons1763800004000 } from './1763800004000-CreateLessons';
import { CreateModelsAndMetrics1763800005000 } from './1763800005000-CreateModelsAndMetrics';
import { CreateOutboxAndPhaseOutputs1763800006000 } from './1763800006000-CreateOutboxAndPhaseOutputs';
import { ValidateMinimumLessons1763800007000 } from './1763800007000-ValidateMinimumLessons';
import { CourseRulesTrigger1763800008000 } from './1763800008000-CourseRulesTrigger';
import { CreateCostRollups1763800009000 } from './1763800009000-CreateCostRollups';
import { GatePoliciesAndWebhooks1763800010000 } from './1763800010000-GatePoliciesAndWebhooks';
import { DocumentsStorageAndBudgets1763800011000 } from './1763800011000-DocumentsStorageAndBudgets';
import { AccessControl1763800012000 } from './1763800012000-AccessControl';
import { AlertsAndPhaseClaims1763800013000 } from './1763800013000-AlertsAndPhaseClaims';
import { PriceVersionsClosedMonthsBudgets1763800014000 } from './1763800014000-PriceVersionsClosedMonthsBudgets';
import { CreateStageOutputAttempts1763800015000 } from './1763800015000-CreateStageOutputAttempts';
import { CostOrgRollup1763800016000 } from './1763800016000-CostOrgRollup';
import { AlertsUnderAccessRules1763800017000 } from './1763800017000-AlertsUnderAccessRules';
import { CourseBudgets1763800018000 } from './1763800018000-CourseBudgets';
import { OutboxByCourse1763800019000 } from './1763800019000-OutboxByCourse';
import { PlatformMediansForRequests1763800020000 } from './1763800020000-PlatformMediansForRequests';
import { DeploymentCounts1763800021000 } from './1763800021000-DeploymentCounts';
import { SignInFunctions1763800022000 } from './1763800022000-SignInFunctions';
import { PlatformOrganization1763800030000 } from './1763800030000-PlatformOrganization';
import { PricesPerOrganization1763800031000 } from './1763800031000-PricesPerOrganization';
import { BootstrapAndPasswordChange1763800033000 } from './1763800033000-BootstrapAndPasswordChange';
import { GenerationMetadataIndexes1763800040000 } from './1763800040000-GenerationMetadataIndexes';
import { OrganizationLanguage1763800042000 } from './1763800042000-OrganizationLanguage';
import { WebhookSecretRotation1763900200000 } from './1763900200000-WebhookSecretRotation';
import { TraceOtelIds1763900300000 } from './1763900300000-TraceOtelIds';
import { ModelCapabilitiesAndProviderCost1763900400000 } from './1763900400000-ModelCapabilitiesAndProviderCost';
import { QualityThresholdAndCostOverrun1763900500000 } from './1763900500000-QualityThresholdAndCostOverrun';
import { ReadPathsAtScale1763900700000 } from './1763900700000-ReadPathsAtScale';
import { PartitionTraceAndHistory1763900900000 } from './1763900900000-PartitionTraceAndHistory';
import { CoursesByCreator1763900950000 } from './1763900950000-CoursesByCreator';
import { CountDeletesPerStatement1763901000000 } from './1763901000000-CountDeletesPerStatement';
import { CourseRowsUpdateInPlace1763901100000 } from './1763901100000-CourseRowsUpdateInPlace';
import { ActiveCoursesInCreatedOrder1763901200000 } from './1763901200000-ActiveCoursesInCreatedOrder';

export const migrations = [
  CreateOrganizationsAndUsers1763800000000,
  CreateCourses1763800001000,
  CreateGenerationTrace1763800002000,
  CreateStatusHistoryAndApprovals1763800003000,
  CreateLessons1763800004000,
  CreateModelsAndMetrics1763800005000,
  CreateOutboxAndPhaseOutputs1763800006000,
  ValidateMinimumLessons1763800007000,
  CourseRulesTrigger1763800008000,
  CreateCostRollups1763800009000,
  GatePoliciesAndWebhooks1763800010000,
  DocumentsStorageAndBudgets1763800011000,
  AccessControl1763800012000,
  AlertsAndPhaseClaims1763800013000,
  PriceVersionsClosedMonthsBudgets1763800014000,
  CreateStageOutputAttempts1763800015000,
  CostOrgRollup1763800016000,
  AlertsUnderAccessRules1763800017000,
  CourseBudgets1763800018000,
  OutboxByCourse1763800019000,
  PlatformMediansForRequests1763800020000,
  DeploymentCounts1763800021000,
  SignInFunctions1763800022000,
  PlatformOrganization1763800030000,
  PricesPerOrganization1763800031000,
  BootstrapAndPasswordChange1763800033000,
  GenerationMetadataIndexes1763800040000,
  OrganizationLanguage1763800042000,
  WebhookSecretRotation1763900200000,
  TraceOtelIds1763900300000,
  ModelCapabilitiesAndProviderCost1763900400000,
  QualityThresholdAndCostOverrun1763900500000,
  ReadPathsAtScale1763900700000,
  PartitionTraceAndHistory1763900900000,
  CoursesByCreator1763900950000,
  CountDeletesPerStatement1763901000000,
  CourseRowsUpdateInPlace1763901100000,
  ActiveCoursesInCreatedOrder1763901200000,
];
