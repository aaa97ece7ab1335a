package engine

import (
	"net/http"
	"time"

	"github.com/ecsnet/ecsnet/internal/apierr"
)

// Lambda refuses to create a function, or to update one, whose runtime it
// has deprecated past the runtime's "block function create" ("block
// function update") date: InvalidParameterValueException "The runtime
// parameter of nodejs12.x is no longer supported for creating or updating
// AWS Lambda functions. We recommend you use the new runtime (nodejs18.x)
// while creating or updating functions." (docs/aws-behavior.md, "Round
// thirty-seven"). The Lambda API (CreateFunction, UpdateFunctionConfiguration,
// UpdateFunctionCode) and CloudFormation's functions (internal/cfn) judge
// runtimes by this one table.

// lambdaRuntimeTableDate is the day the table of deprecated runtimes below was
// read from the Lambda Developer Guide: a clock that is earlier (the
// analyzer's fixed epoch) judges runtimes on this day, so that
// `ecsnet check` refuses what AWS refuses today.
var lambdaRuntimeTableDate = time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)

// deprecatedRuntime is a Lambda runtime's end of life: the first day
// creating and updating a function of it are refused, and the runtime
// Lambda's refusal recommends instead (the family's newest).
type deprecatedRuntime struct {
	blockCreate, blockUpdate string // YYYY-MM-DD
	successor                string
}

// deprecatedRuntimeOf returns the end of life of a Lambda runtime, and
// whether it has one. The dates are the Lambda Developer Guide's
// "Deprecated runtimes" table, as aws-cloudformation/cfn-lint's
// LmbdRuntimeLifecycle.json records it, and for nodejs18.x and python3.9
// the guide's later rows [probable]; the runtimes of Amazon Linux 2
// (java8.al2, java11, java17, python3.10, python3.11, provided.al2),
// nodejs20.x and ruby3.2, whose dates moved in 2026, are left out: not
// refused [choice].
func deprecatedRuntimeOf(runtime string) (deprecatedRuntime, bool) {
	const node, python, java, dotnet, ruby, provided = "nodejs24.x", "python3.14", "java25", "dotnet10", "ruby3.4", "provided.al2023"
	d := func(create, update, successor string) (deprecatedRuntime, bool) {
		return deprecatedRuntime{blockCreate: create, blockUpdate: update, successor: successor}, true
	}
	switch runtime {
	case "nodejs":
		return d("2016-10-31", "2016-10-31", node)
	case "nodejs4.3", "nodejs4.3-edge":
		return d("2019-04-30", "2020-03-05", node)
	case "nodejs6.10":
		return d("2019-08-12", "2019-08-12", node)
	case "nodejs8.10":
		return d("2020-03-06", "2020-03-06", node)
	case "nodejs10.x":
		return d("2021-07-30", "2022-02-14", node)
	case "nodejs12.x":
		return d("2023-03-31", "2023-04-30", node)
	case "nodejs14.x":
		return d("2024-07-09", "2025-02-28", node)
	case "nodejs16.x":
		return d("2025-02-28", "2025-03-31", node)
	case "nodejs18.x":
		return d("2026-03-09", "2026-04-09", node)
	case "python2.7":
		return d("2021-07-15", "2022-05-30", python)
	case "python3.6":
		return d("2022-07-18", "2022-08-29", python)
	case "python3.7":
		return d("2024-01-09", "2025-02-28", python)
	case "python3.8":
		return d("2025-02-28", "2025-03-31", python)
	case "python3.9":
		return d("2026-06-15", "2026-07-15", python)
	case "java8":
		return d("2024-02-08", "2025-02-28", java)
	case "dotnetcore1.0":
		return d("2019-07-30", "2019-07-30", dotnet)
	case "dotnetcore2.0":
		return d("2019-05-30", "2019-05-30", dotnet)
	case "dotnetcore2.1":
		return d("2022-01-05", "2022-04-13", dotnet)
	case "dotnetcore3.1":
		return d("2023-04-03", "2023-05-03", dotnet)
	case "dotnet6":
		return d("2025-02-28", "2025-05-31", dotnet)
	case "dotnet7":
		return d("2024-05-14", "2024-05-14", dotnet)
	case "ruby2.5":
		return d("2021-07-30", "2022-03-31", ruby)
	case "ruby2.7":
		return d("2024-01-09", "2025-02-28", ruby)
	case "go1.x", "provided":
		return d("2024-02-08", "2025-02-28", provided)
	}
	return deprecatedRuntime{}, false
}

// RefusedLambdaRuntime returns Lambda's refusal of a function of runtime created
// (update false) or updated (true) on day (no earlier than the table's
// own day), or nil.
func RefusedLambdaRuntime(runtime string, update bool, day time.Time) error {
	rt, ok := deprecatedRuntimeOf(runtime)
	if !ok {
		return nil
	}
	if day.Before(lambdaRuntimeTableDate) {
		day = lambdaRuntimeTableDate
	}
	from := rt.blockCreate
	if update {
		from = rt.blockUpdate
	}
	blocked, err := time.Parse(time.DateOnly, from)
	if err != nil || day.Before(blocked) {
		return nil
	}
	return &apierr.Error{Code: "InvalidParameterValueException", HTTPStatus: http.StatusBadRequest,
		Message: "The runtime parameter of " + runtime + " is no longer supported for creating or updating AWS Lambda functions. " +
			"We recommend you use the new runtime (" + rt.successor + ") while creating or updating functions."}
}
