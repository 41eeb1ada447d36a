#!/usr/bin/env python3
"""Generates the Azure templates for secfeed's Sentinel tables from schemas/sentinel/.

    deploy/azure/generate.py            # rewrites sentinel-dcr.json and sentinel-dcr.bicep
    deploy/azure/generate.py --check    # exit 1 when they are out of date

schemas/sentinel/<Table>_CL.json is the one source of truth: the template's tables, the
DCR's streamDeclarations and dataFlows all come from it, so the rows the `sentinel`
encoder writes, the emulator's validation and the deployed DCR cannot drift apart
(tests/unit/sentinel_template_test.cpp checks the generated files against the schemas).
"""
import argparse
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "schemas" / "sentinel"
OUT_JSON = ROOT / "deploy" / "azure" / "sentinel-dcr.json"
OUT_BICEP = ROOT / "deploy" / "azure" / "sentinel-dcr.bicep"

# Built-in role "Monitoring Metrics Publisher": lets an app send to the Logs Ingestion API.
MONITORING_METRICS_PUBLISHER = "3913510d-42f4-4e42-8a64-420c390055eb"
# The workspace tables API spells the datetime type "dateTime"; DCR streams "datetime".
TABLE_TYPES = {"datetime": "dateTime"}


def load_tables():
    tables = []
    for path in sorted(SCHEMAS.glob("*.json")):
        doc = json.loads(path.read_text())
        (stream, declaration), = doc["streamDeclarations"].items()
        tables.append({"table": doc["table"], "description": doc["description"],
                       "stream": stream, "columns": declaration["columns"],
                       "descriptions": doc.get("columnDescriptions", {})})
    return tables


def arm_template(tables):
    dcr_id = "[resourceId('Microsoft.Insights/dataCollectionRules', parameters('dataCollectionRuleName'))]"
    dce_id = "[resourceId('Microsoft.Insights/dataCollectionEndpoints', parameters('dataCollectionEndpointName'))]"
    workspace_id = "[resourceId('Microsoft.OperationalInsights/workspaces', parameters('workspaceName'))]"
    resources = []
    for t in tables:
        resources.append({
            "type": "Microsoft.OperationalInsights/workspaces/tables",
            "apiVersion": "2022-10-01",
            "name": f"[format('{{0}}/{t['table']}', parameters('workspaceName'))]",
            "properties": {
                "plan": "Analytics",
                "retentionInDays": "[parameters('retentionInDays')]",
                "schema": {
                    "name": t["table"],
                    "description": t["description"],
                    "columns": [{"name": c["name"], "type": TABLE_TYPES.get(c["type"], c["type"]),
                                 "description": t["descriptions"].get(c["name"], "")}
                                for c in t["columns"]],
                },
            },
        })
    resources.append({
        "type": "Microsoft.Insights/dataCollectionEndpoints",
        "apiVersion": "2022-06-01",
        "name": "[parameters('dataCollectionEndpointName')]",
        "location": "[parameters('location')]",
        "properties": {"networkAcls": {"publicNetworkAccess": "Enabled"}},
    })
    resources.append({
        "type": "Microsoft.Insights/dataCollectionRules",
        "apiVersion": "2022-06-01",
        "name": "[parameters('dataCollectionRuleName')]",
        "location": "[parameters('location')]",
        "kind": "Direct",
        "dependsOn": [dce_id] + [
            f"[resourceId('Microsoft.OperationalInsights/workspaces/tables', parameters('workspaceName'), '{t['table']}')]"
            for t in tables],
        "properties": {
            "dataCollectionEndpointId": dce_id,
            "streamDeclarations": {t["stream"]: {"columns": t["columns"]} for t in tables},
            "destinations": {"logAnalytics": [{"workspaceResourceId": workspace_id,
                                               "name": "sentinelWorkspace"}]},
            "dataFlows": [{"streams": [t["stream"]], "destinations": ["sentinelWorkspace"],
                           "transformKql": "source", "outputStream": f"Custom-{t['table']}"}
                          for t in tables],
        },
    })
    resources.append({
        "type": "Microsoft.Authorization/roleAssignments",
        "apiVersion": "2022-04-01",
        "scope": "[format('Microsoft.Insights/dataCollectionRules/{0}', parameters('dataCollectionRuleName'))]",
        "name": "[guid(resourceId('Microsoft.Insights/dataCollectionRules', "
                "parameters('dataCollectionRuleName')), parameters('servicePrincipalObjectId'), "
                f"'{MONITORING_METRICS_PUBLISHER}')]",
        "dependsOn": [dcr_id],
        "properties": {
            "roleDefinitionId": f"[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '{MONITORING_METRICS_PUBLISHER}')]",
            "principalId": "[parameters('servicePrincipalObjectId')]",
            "principalType": "ServicePrincipal",
        },
    })
    streams = {t["table"]: t["stream"] for t in tables}
    return {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "metadata": {"description": "secfeed -> Microsoft Sentinel: custom tables, DCE, DCR (kind Direct) "
                                    "and the Monitoring Metrics Publisher role for secfeed's app. "
                                    "Generated by deploy/azure/generate.py from schemas/sentinel/; "
                                    "do not edit by hand."},
        "parameters": {
            "workspaceName": {"type": "string", "metadata": {
                "description": "Existing Log Analytics workspace (with Microsoft Sentinel) in this resource group."}},
            "location": {"type": "string", "defaultValue": "[resourceGroup().location]",
                         "metadata": {"description": "Region of the DCE and DCR: the workspace's region."}},
            "dataCollectionEndpointName": {"type": "string", "defaultValue": "secfeed-dce"},
            "dataCollectionRuleName": {"type": "string", "defaultValue": "secfeed-dcr"},
            "servicePrincipalObjectId": {"type": "string", "metadata": {
                "description": "Object id of the service principal (enterprise application) of secfeed's "
                               "app registration: az ad sp show --id <client-id> --query id -o tsv"}},
            "retentionInDays": {"type": "int", "defaultValue": 90, "minValue": 4, "maxValue": 730},
        },
        "resources": resources,
        "outputs": {
            "logsIngestionEndpoint": {"type": "string", "value":
                f"[reference({dcr_id}, '2022-06-01').endpoints.logsIngestion]"},
            "dataCollectionEndpoint": {"type": "string", "value":
                f"[reference({dce_id}, '2022-06-01').logsIngestion.endpoint]"},
            "dcrImmutableId": {"type": "string", "value":
                f"[reference({dcr_id}, '2022-06-01').immutableId]"},
            "streamAlerts": {"type": "string", "value": streams.get("SecfeedAlerts_CL", "")},
            "streamPosture": {"type": "string", "value": streams.get("SecfeedPosture_CL", "")},
        },
    }


def bicep_value(value, indent=0):
    """A JSON value in Bicep syntax (objects and arrays one item per line)."""
    pad = "  " * (indent + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        lines = []
        for key, item in value.items():
            name = key if key.isidentifier() else "'" + key + "'"
            lines.append(f"{pad}{name}: {bicep_value(item, indent + 1)}")
        return "{\n" + "\n".join(lines) + "\n" + "  " * indent + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[\n" + "\n".join(pad + bicep_value(v, indent + 1) for v in value) + "\n" + "  " * indent + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"


def bicep_template(tables):
    table_schemas = [{"name": t["table"], "description": t["description"],
                      "columns": [{"name": c["name"], "type": TABLE_TYPES.get(c["type"], c["type"]),
                                   "description": t["descriptions"].get(c["name"], "")}
                                  for c in t["columns"]]} for t in tables]
    declarations = {t["stream"]: {"columns": t["columns"]} for t in tables}
    flows = [{"streams": [t["stream"]], "destinations": ["sentinelWorkspace"],
              "transformKql": "source", "outputStream": f"Custom-{t['table']}"} for t in tables]
    streams = {t["table"]: t["stream"] for t in tables}
    return f"""// secfeed -> Microsoft Sentinel: custom tables, DCE, DCR (kind Direct) and the
// Monitoring Metrics Publisher role for secfeed's app. Same resources as
// sentinel-dcr.json. Generated by deploy/azure/generate.py from schemas/sentinel/;
// do not edit by hand.

@description('Existing Log Analytics workspace (with Microsoft Sentinel) in this resource group.')
param workspaceName string
@description('Region of the DCE and DCR: the workspace\\'s region.')
param location string = resourceGroup().location
param dataCollectionEndpointName string = 'secfeed-dce'
param dataCollectionRuleName string = 'secfeed-dcr'
@description('Object id of the service principal of secfeed\\'s app registration: az ad sp show --id <client-id> --query id -o tsv')
param servicePrincipalObjectId string
@minValue(4)
@maxValue(730)
param retentionInDays int = 90

var monitoringMetricsPublisher = '{MONITORING_METRICS_PUBLISHER}'
var tableSchemas = {bicep_value(table_schemas)}

resource workspace 'Microsoft.OperationalInsights/workspaces@2022-10-01' existing = {{
  name: workspaceName
}}

resource tables 'Microsoft.OperationalInsights/workspaces/tables@2022-10-01' = [for schema in tableSchemas: {{
  parent: workspace
  name: schema.name
  properties: {{
    plan: 'Analytics'
    retentionInDays: retentionInDays
    schema: schema
  }}
}}]

resource dce 'Microsoft.Insights/dataCollectionEndpoints@2022-06-01' = {{
  name: dataCollectionEndpointName
  location: location
  properties: {{
    networkAcls: {{
      publicNetworkAccess: 'Enabled'
    }}
  }}
}}

resource dcr 'Microsoft.Insights/dataCollectionRules@2022-06-01' = {{
  name: dataCollectionRuleName
  location: location
  kind: 'Direct'
  dependsOn: [
    tables
  ]
  properties: {{
    dataCollectionEndpointId: dce.id
    streamDeclarations: {bicep_value(declarations, 2)}
    destinations: {{
      logAnalytics: [
        {{
          workspaceResourceId: workspace.id
          name: 'sentinelWorkspace'
        }}
      ]
    }}
    dataFlows: {bicep_value(flows, 2)}
  }}
}}

resource publisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {{
  name: guid(dcr.id, servicePrincipalObjectId, monitoringMetricsPublisher)
  scope: dcr
  properties: {{
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
    principalId: servicePrincipalObjectId
    principalType: 'ServicePrincipal'
  }}
}}

output logsIngestionEndpoint string = dcr.properties.endpoints.logsIngestion
output dataCollectionEndpoint string = dce.properties.logsIngestion.endpoint
output dcrImmutableId string = dcr.properties.immutableId
output streamAlerts string = '{streams.get("SecfeedAlerts_CL", "")}'
output streamPosture string = '{streams.get("SecfeedPosture_CL", "")}'
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the files are current")
    args = parser.parse_args()
    tables = load_tables()
    outputs = {OUT_JSON: json.dumps(arm_template(tables), indent=2) + "\n",
               OUT_BICEP: bicep_template(tables)}
    stale = [path for path, text in outputs.items()
             if not path.exists() or path.read_text() != text]
    if args.check:
        for path in stale:
            print(f"{path.relative_to(ROOT)} is out of date: run deploy/azure/generate.py",
                  file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        path.write_text(outputs[path])
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
