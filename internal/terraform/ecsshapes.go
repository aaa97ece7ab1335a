package terraform

// The shapes below are copied from botocore's ECS model (1.43.11, the one
// internal/awsproto embeds), walked from ContainerDefinition: the package
// may not import awsproto (internal/archtest), and container_definitions
// is checked against them as the provider's JSON decoder checks it
// (containerjson.go). A newer model adds members; a key missing here is
// ignored by the shape check, as encoding/json ignores a key it does not
// know, and warned of as one the provider drops (unknownContainerKeys):
// copy a newer model's members here when ECS adds one.

// ecsShape is one botocore shape: its kind, a list's or map's element,
// a structure's members.
type ecsShape struct {
	kind    string
	elem    string
	members []ecsMember
}

// ecsMember is a structure member: its name and shape.
type ecsMember struct{ name, shape string }

// ecsShapes are the shapes of ECS's ContainerDefinition and what it
// holds: a kind (structure, list, map, string, enum, boolean, integer,
// long, double), a list's or map's element, a structure's members.
var ecsShapes = map[string]ecsShape{
	"ApplicationProtocol":             {kind: "enum"},
	"BoxedBoolean":                    {kind: "boolean"},
	"BoxedInteger":                    {kind: "integer"},
	"ContainerCondition":              {kind: "enum"},
	"ContainerDefinition":             {kind: "structure", members: []ecsMember{{"name", "String"}, {"image", "String"}, {"repositoryCredentials", "RepositoryCredentials"}, {"cpu", "Integer"}, {"memory", "BoxedInteger"}, {"memoryReservation", "BoxedInteger"}, {"links", "StringList"}, {"portMappings", "PortMappingList"}, {"essential", "BoxedBoolean"}, {"restartPolicy", "ContainerRestartPolicy"}, {"entryPoint", "StringList"}, {"command", "StringList"}, {"environment", "EnvironmentVariables"}, {"environmentFiles", "EnvironmentFiles"}, {"mountPoints", "MountPointList"}, {"volumesFrom", "VolumeFromList"}, {"linuxParameters", "LinuxParameters"}, {"secrets", "SecretList"}, {"dependsOn", "ContainerDependencies"}, {"startTimeout", "BoxedInteger"}, {"stopTimeout", "BoxedInteger"}, {"versionConsistency", "VersionConsistency"}, {"hostname", "String"}, {"user", "String"}, {"workingDirectory", "String"}, {"disableNetworking", "BoxedBoolean"}, {"privileged", "BoxedBoolean"}, {"readonlyRootFilesystem", "BoxedBoolean"}, {"dnsServers", "StringList"}, {"dnsSearchDomains", "StringList"}, {"extraHosts", "HostEntryList"}, {"dockerSecurityOptions", "StringList"}, {"interactive", "BoxedBoolean"}, {"pseudoTerminal", "BoxedBoolean"}, {"dockerLabels", "DockerLabelsMap"}, {"ulimits", "UlimitList"}, {"logConfiguration", "LogConfiguration"}, {"healthCheck", "HealthCheck"}, {"systemControls", "SystemControls"}, {"resourceRequirements", "ResourceRequirements"}, {"firelensConfiguration", "FirelensConfiguration"}, {"credentialSpecs", "StringList"}}},
	"ContainerDependencies":           {kind: "list", elem: "ContainerDependency"},
	"ContainerDependency":             {kind: "structure", members: []ecsMember{{"containerName", "String"}, {"condition", "ContainerCondition"}}},
	"ContainerRestartPolicy":          {kind: "structure", members: []ecsMember{{"enabled", "BoxedBoolean"}, {"ignoredExitCodes", "IntegerList"}, {"restartAttemptPeriod", "BoxedInteger"}}},
	"Device":                          {kind: "structure", members: []ecsMember{{"hostPath", "String"}, {"containerPath", "String"}, {"permissions", "DeviceCgroupPermissions"}}},
	"DeviceCgroupPermission":          {kind: "enum"},
	"DeviceCgroupPermissions":         {kind: "list", elem: "DeviceCgroupPermission"},
	"DevicesList":                     {kind: "list", elem: "Device"},
	"DockerLabelsMap":                 {kind: "map", elem: "String"},
	"EnvironmentFile":                 {kind: "structure", members: []ecsMember{{"value", "String"}, {"type", "EnvironmentFileType"}}},
	"EnvironmentFileType":             {kind: "enum"},
	"EnvironmentFiles":                {kind: "list", elem: "EnvironmentFile"},
	"EnvironmentVariables":            {kind: "list", elem: "KeyValuePair"},
	"FirelensConfiguration":           {kind: "structure", members: []ecsMember{{"type", "FirelensConfigurationType"}, {"options", "FirelensConfigurationOptionsMap"}}},
	"FirelensConfigurationOptionsMap": {kind: "map", elem: "String"},
	"FirelensConfigurationType":       {kind: "enum"},
	"HealthCheck":                     {kind: "structure", members: []ecsMember{{"command", "StringList"}, {"interval", "BoxedInteger"}, {"timeout", "BoxedInteger"}, {"retries", "BoxedInteger"}, {"startPeriod", "BoxedInteger"}}},
	"HostEntry":                       {kind: "structure", members: []ecsMember{{"hostname", "String"}, {"ipAddress", "String"}}},
	"HostEntryList":                   {kind: "list", elem: "HostEntry"},
	"Integer":                         {kind: "integer"},
	"IntegerList":                     {kind: "list", elem: "BoxedInteger"},
	"KernelCapabilities":              {kind: "structure", members: []ecsMember{{"add", "StringList"}, {"drop", "StringList"}}},
	"KeyValuePair":                    {kind: "structure", members: []ecsMember{{"name", "String"}, {"value", "String"}}},
	"LinuxParameters":                 {kind: "structure", members: []ecsMember{{"capabilities", "KernelCapabilities"}, {"devices", "DevicesList"}, {"initProcessEnabled", "BoxedBoolean"}, {"sharedMemorySize", "BoxedInteger"}, {"tmpfs", "TmpfsList"}, {"maxSwap", "BoxedInteger"}, {"swappiness", "BoxedInteger"}}},
	"LogConfiguration":                {kind: "structure", members: []ecsMember{{"logDriver", "LogDriver"}, {"options", "LogConfigurationOptionsMap"}, {"secretOptions", "SecretList"}}},
	"LogConfigurationOptionsMap":      {kind: "map", elem: "String"},
	"LogDriver":                       {kind: "enum"},
	"MountPoint":                      {kind: "structure", members: []ecsMember{{"sourceVolume", "String"}, {"containerPath", "String"}, {"readOnly", "BoxedBoolean"}}},
	"MountPointList":                  {kind: "list", elem: "MountPoint"},
	"PortMapping":                     {kind: "structure", members: []ecsMember{{"containerPort", "BoxedInteger"}, {"hostPort", "BoxedInteger"}, {"protocol", "TransportProtocol"}, {"name", "String"}, {"appProtocol", "ApplicationProtocol"}, {"containerPortRange", "String"}}},
	"PortMappingList":                 {kind: "list", elem: "PortMapping"},
	"RepositoryCredentials":           {kind: "structure", members: []ecsMember{{"credentialsParameter", "String"}}},
	"ResourceRequirement":             {kind: "structure", members: []ecsMember{{"value", "String"}, {"type", "ResourceType"}}},
	"ResourceRequirements":            {kind: "list", elem: "ResourceRequirement"},
	"ResourceType":                    {kind: "enum"},
	"Secret":                          {kind: "structure", members: []ecsMember{{"name", "String"}, {"valueFrom", "String"}}},
	"SecretList":                      {kind: "list", elem: "Secret"},
	"String":                          {kind: "string"},
	"StringList":                      {kind: "list", elem: "String"},
	"SystemControl":                   {kind: "structure", members: []ecsMember{{"namespace", "String"}, {"value", "String"}}},
	"SystemControls":                  {kind: "list", elem: "SystemControl"},
	"Tmpfs":                           {kind: "structure", members: []ecsMember{{"containerPath", "String"}, {"size", "Integer"}, {"mountOptions", "StringList"}}},
	"TmpfsList":                       {kind: "list", elem: "Tmpfs"},
	"TransportProtocol":               {kind: "enum"},
	"Ulimit":                          {kind: "structure", members: []ecsMember{{"name", "UlimitName"}, {"softLimit", "Integer"}, {"hardLimit", "Integer"}}},
	"UlimitList":                      {kind: "list", elem: "Ulimit"},
	"UlimitName":                      {kind: "enum"},
	"VersionConsistency":              {kind: "enum"},
	"VolumeFrom":                      {kind: "structure", members: []ecsMember{{"sourceContainer", "String"}, {"readOnly", "BoxedBoolean"}}},
	"VolumeFromList":                  {kind: "list", elem: "VolumeFrom"},
}
