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
// thirty-seven", the dates "Round thirty-nine"). The Lambda API (CreateFunction, UpdateFunctionConfiguration,
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
// whether it has one. The dates are the Lambda Developer Guide's runtime
// tables as read on 2026-12-07: aws-cloudformation/cfn-lint 1.51.0's
// LmbdRuntimeLifecycle.json (May 2026), with what the guide said from
// June 2026 on: "Block function create" Feb 1, 2027 and "Block function
// update" Mar 3, 2027 for nodejs20.x (cfn-lint#4531), nodejs18.x
// (aws/aws-rfdk#1703) and python3.10 (Lambda's notice quoted in
// aws-samples/iam-identity-center-team#535); the other runtimes the May
// table blocked on 2026-06-01 and 2026-07-01 moved with them, and the
// Amazon Linux 2 runtimes a year on (cfn-lint#4532: "many
// create-block/update-block dates pushed to 2027-02-01/2027-03-03",
// "java11, java17, java8.al2, python3.11 got a full year extension",
// python3.8's create-block "moved to future") [probable: each date not
// quoted above]. docs/aws-behavior.md, round thirty-nine.
func deprecatedRuntimeOf(runtime string) (deprecatedRuntime, bool) {
	const node, python, java, dotnet, ruby, provided = "nodejs24.x", "python3.14", "java25", "dotnet10", "ruby4.0", "provided.al2023"
	d := func(create, update, successor string) (deprecatedRuntime, bool) {
		return deprecatedRuntime{blockCreate: create, blockUpdate: update, successor: successor}, true
	}
	// The dates the guide moved in June 2026.
	const create2027, update2027 = "2027-02-01", "2027-03-03"
	const createAL2, updateAL2 = "2027-07-31", "2027-08-31"
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
		return d("2024-01-09", update2027, node)
	case "nodejs16.x", "nodejs18.x", "nodejs20.x":
		return d(create2027, update2027, node)
	case "nodejs22.x":
		return d("2027-06-01", "2027-07-01", node)
	case "python2.7":
		return d("2021-07-15", "2022-05-30", python)
	case "python3.6":
		return d("2022-07-18", "2022-08-29", python)
	case "python3.7":
		return d("2024-01-09", "2026-03-09", python)
	case "python3.8", "python3.9", "python3.10":
		return d(create2027, update2027, python)
	case "python3.11":
		return d(createAL2, updateAL2, python)
	case "java8":
		return d("2024-02-08", update2027, java)
	case "java8.al2", "java11", "java17":
		return d(createAL2, updateAL2, java)
	case "dotnetcore1.0":
		return d("2019-07-30", "2019-07-30", dotnet)
	case "dotnetcore2.0":
		return d("2019-05-30", "2019-05-30", dotnet)
	case "dotnetcore2.1":
		return d("2022-01-05", "2022-04-13", dotnet)
	case "dotnetcore3.1":
		return d("2023-04-03", "2023-05-03", dotnet)
	case "dotnet6":
		return d(create2027, update2027, dotnet)
	case "dotnet7":
		return d("2024-05-14", "2024-05-14", dotnet)
	case "dotnet8":
		return d("2026-12-10", "2027-01-11", dotnet)
	case "ruby2.5":
		return d("2021-07-30", "2022-03-31", ruby)
	case "ruby2.7":
		return d("2024-01-09", update2027, ruby)
	case "ruby3.2":
		return d(create2027, update2027, ruby)
	case "ruby3.3":
		return d("2027-04-30", "2027-05-31", ruby)
	case "go1.x", "provided":
		return d("2024-02-08", update2027, provided)
	case "provided.al2":
		return d(createAL2, updateAL2, provided)
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
