package main

func modelCommand() *command {
	return &command{
		name:    "model",
		summary: "check, document and export the knowledge base",
		usage: `tendo model works with the knowledge base: the Bayesian network (every
number cited or marked as an estimate), its mapping from the assessment
contract, and the plan library.

Usage:
  tendo model <command> [flags]`,
		subs: []*command{modelCheckCommand(), modelValidateCommand(), modelDocCommand(), modelExportCommand()},
	}
}
