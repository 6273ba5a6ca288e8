// Entry named by Pulumi.yaml: Pulumi runs the exported function and records what it returns as stack outputs.
import { deployStack } from './program';

export = deployStack;
