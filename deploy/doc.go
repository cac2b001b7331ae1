// Package deploy finds the deployment and tooling settings of a repository
// that still select the Azure Functions in-process model, rewrites the ones
// whose new value is unambiguous, and reports every other one with the exact
// value it needs (MAPPING.md §6.3, §8 item 6).
//
// Scan walks a folder; MigrateFile handles one file. The kind of a file is
// decided by its name and path alone, so only candidate files are read:
//
//	kind                    files                                           rules        MAPPING.md
//	Bicep                   *.bicep, *.bicepparam                           bicep.go     §6.3
//	ARM                     *.json with a deploymentTemplate or             arm.go       §6.3
//	                        deploymentParameters $schema, *.parameters.json
//	Terraform               *.tf, *.tfvars                                  terraform.go §6.3
//	GitHub Actions,         .github/workflows/*.yml, azure-pipelines*.yml,  pipeline.go  §1.6, §6.3, §8 item 6
//	Azure Pipelines         other YAML naming AzureFunctionApp, AzureWebApp,
//	                        az functionapp or FUNCTIONS_WORKER_RUNTIME
//	scripts                 *.ps1, *.psm1, *.sh, *.bash, *.cmd, *.bat,      pipeline.go, §6.3
//	                        *.azcli                                         cli.go
//	Dockerfiles             Dockerfile, Dockerfile.*, *.Dockerfile,         docker.go    §1.6, §6.3
//	                        Containerfile
//	VS Code                 .vscode/settings.json, tasks.json, launch.json  vscode.go    §1.6, §6.3
//	publish profiles        *.pubxml                                        pubxml.go    §1.6
//	sample settings         local.settings*.json (but local.settings.json), sample.go    §6.1
//	                        *.settings.sample.json
//	SDK pin                 global.json                                     globaljson.go §1.6
//	catch-all               all of the above, and *.md, *.env               catchall.go  §6.1, §6.3
//
// The settings and values themselves: FUNCTIONS_WORKER_RUNTIME "dotnet"
// becomes "dotnet-isolated"; FUNCTIONS_INPROC_NET8_ENABLED goes; the Linux
// stack DOTNET|x becomes DOTNET-ISOLATED|<ver>; the Windows stack
// netFrameworkVersion becomes v<ver> (v4.0 for .NET Framework 4.8, which
// has no Linux stack and no container image); FUNCTIONS_EXTENSION_VERSION
// stays ~4. Text shared by several kinds (KEY=value pairs, az commands,
// stack values, base images, build output paths) is read by text.go and
// cli.go; Bicep and Terraform are lexed (lex.go) so strings and comments
// are told apart; JSON goes through the tolerant scanner of package
// settings.
//
// Every change is a minimal byte edit of the original file: bytes outside
// the edits (line endings, byte order mark, indentation, comments) stay as
// they are, and running MigrateFile again on the result gives no edits.
// Findings carry Rule, Offset, Message, Action, Ref and URL; Path and Line
// are the engine's, and Marker is never set: no TODO comments are written
// into these files. A file that changes an app's runtime settings also gets
// one deploy-rollout finding with the staging-slot order of MAPPING.md §6.3,
// because settings and build must reach the app together (AZFD0013).
package deploy
