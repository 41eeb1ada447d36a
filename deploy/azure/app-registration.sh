#!/usr/bin/env bash
# Sets up Azure for secfeed with the az CLI (log in first: `az login`, with a user who
# may register apps and grant admin consent; for the Event Hub part, Contributor on the
# subscription). Walk-through: deploy/azure/README.md. Never run by the test suite.
#
#   deploy/azure/app-registration.sh app        # app registration + Graph permissions + consent + credential
#   deploy/azure/app-registration.sh eventhub   # Event Hubs namespace, hub, consumer group, policies
#   deploy/azure/app-registration.sh export     # Defender for Cloud continuous export to that hub
#   deploy/azure/app-registration.sh consent-url CUSTOMER_TENANT   # MSSP: admin consent link
#
# Settings (environment variables):
#   APP_NAME=secfeed            display name of the app registration
#   MULTI_TENANT=no             yes: an MSSP app that customer tenants consent to
#   CREDENTIAL=secret           secret | certificate
#   CERT_FILE=                  PEM certificate (public part) to upload when CREDENTIAL=certificate
#   SECRET_FILE=./secfeed-client-secret   where the new client secret is written (mode 0600)
#   SECRET_YEARS=1              client secret lifetime
#   APP_ID=                     reuse an existing app (skips creating one)
#   RESOURCE_GROUP=secfeed  LOCATION=westeurope  SUBSCRIPTION=<az account show>
#   EVENTHUB_NAMESPACE=         globally unique namespace name (required for eventhub/export)
#   EVENTHUB_NAME=defender-export  CONSUMER_GROUP=secfeed  PARTITIONS=4
#   EVENTHUB_AUTH=connection-string   connection-string | oauth (role for the app instead of a key)
#   DRY_RUN=1                   print the az commands instead of running them
set -euo pipefail

APP_NAME=${APP_NAME:-secfeed}
MULTI_TENANT=${MULTI_TENANT:-no}
CREDENTIAL=${CREDENTIAL:-secret}
SECRET_FILE=${SECRET_FILE:-./secfeed-client-secret}
SECRET_YEARS=${SECRET_YEARS:-1}
RESOURCE_GROUP=${RESOURCE_GROUP:-secfeed}
LOCATION=${LOCATION:-westeurope}
EVENTHUB_NAME=${EVENTHUB_NAME:-defender-export}
CONSUMER_GROUP=${CONSUMER_GROUP:-secfeed}
PARTITIONS=${PARTITIONS:-4}
EVENTHUB_AUTH=${EVENTHUB_AUTH:-connection-string}
DRY_RUN=${DRY_RUN:-}
EVENTHUB_FILE=./secfeed-eventhub
# A dry run writes no credential files.
if [[ -n $DRY_RUN ]]; then SECRET_FILE=/dev/null EVENTHUB_FILE=/dev/null; fi

# Microsoft Graph's application id, and the application permissions (app roles) secfeed
# needs, with their well-known ids. The ids are looked up again by name from the tenant's
# Graph service principal; a mismatch stops the script.
GRAPH_APP_ID=00000003-0000-0000-c000-000000000000
declare -A GRAPH_ROLES=(
  [SecurityAlert.Read.All]=472e4a4d-bb4a-4026-98d1-0b0d74cb74a5     # /security/alerts_v2
  [SecurityIncident.Read.All]=45cc0394-e837-488b-a098-1918f48d186c  # /security/incidents
  [SecurityEvents.Read.All]=bf394140-e372-4bf9-a898-299cfc7564e5    # secure score, legacy /security/alerts
)

log() { printf 'app-registration: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# az ARGS...: runs az (or prints it with DRY_RUN=1, answering "<dry-run>").
az_() {
  if [[ -n $DRY_RUN ]]; then
    printf '+ az' >&2
    printf ' %q' "$@" >&2
    printf '\n' >&2
    echo "<dry-run>"
  else
    az "$@"
  fi
}

require_az() {
  [[ -n $DRY_RUN ]] && return
  command -v az >/dev/null || die "the Azure CLI (az) is not installed"
  az account show >/dev/null 2>&1 || die "not logged in: run az login"
}

tenant_id() { az_ account show --query tenantId -o tsv; }
subscription_id() { echo "${SUBSCRIPTION:-$(az_ account show --query id -o tsv)}"; }

cmd_app() {
  require_az
  local audience=AzureADMyOrg
  [[ $MULTI_TENANT == yes ]] && audience=AzureADMultipleOrgs
  local app_id=${APP_ID:-}
  if [[ -z $app_id ]]; then
    log "creating the app registration '$APP_NAME' ($audience)"
    app_id=$(az_ ad app create --display-name "$APP_NAME" --sign-in-audience "$audience" \
      --query appId -o tsv)
  fi
  log "service principal (enterprise application) for $app_id in this tenant"
  az_ ad sp create --id "$app_id" >/dev/null 2>&1 || true  # exists already: fine

  local permissions=() name id found
  for name in "${!GRAPH_ROLES[@]}"; do
    id=${GRAPH_ROLES[$name]}
    found=$(az_ ad sp show --id "$GRAPH_APP_ID" --query "appRoles[?value=='$name'].id | [0]" -o tsv)
    [[ -n $DRY_RUN || $found == "$id" ]] || die "Graph app role $name has id '$found', expected $id"
    permissions+=("$id=Role")
    log "Graph application permission $name ($id)"
  done
  az_ ad app permission add --id "$app_id" --api "$GRAPH_APP_ID" --api-permissions "${permissions[@]}" >/dev/null
  log "granting admin consent in this tenant"
  az_ ad app permission admin-consent --id "$app_id" >/dev/null

  case $CREDENTIAL in
    secret)
      log "new client secret -> $SECRET_FILE (configure it as client_secret_file)"
      (
        umask 077
        az_ ad app credential reset --id "$app_id" --append --display-name secfeed \
          --years "$SECRET_YEARS" --query password -o tsv >"$SECRET_FILE"
      )
      ;;
    certificate)
      [[ -n ${CERT_FILE:-} ]] || die "CREDENTIAL=certificate needs CERT_FILE (PEM, public part)"
      log "uploading certificate $CERT_FILE"
      az_ ad app credential reset --id "$app_id" --append --cert "@$CERT_FILE" >/dev/null
      ;;
    *) die "CREDENTIAL must be secret or certificate" ;;
  esac

  local tenant
  tenant=$(tenant_id)
  cat <<YAML
# secfeed.yaml: the tenant
tenants:
  - id: $tenant
    client_id: $app_id
$( [[ $CREDENTIAL == secret ]] && echo "    client_secret_file: /etc/secfeed/client-secret   # the content of $SECRET_FILE" \
   || echo "    certificate: {cert_file: /etc/secfeed/app.pem, key_file: /etc/secfeed/app.key}")
YAML
  if [[ $MULTI_TENANT == yes ]]; then
    log "customer tenants consent with: $0 consent-url <customer tenant id>"
  fi
}

# MSSP: an administrator of the customer tenant opens this link and accepts; that creates
# the app's service principal there with the Graph permissions above.
cmd_consent_url() {
  local customer=${1:?usage: $0 consent-url CUSTOMER_TENANT_ID_OR_DOMAIN}
  local app_id=${APP_ID:?set APP_ID to the application (client) id}
  echo "https://login.microsoftonline.com/$customer/adminconsent?client_id=$app_id&redirect_uri=https://portal.azure.com/"
}

eventhub_id() {
  echo "/subscriptions/$(subscription_id)/resourceGroups/$RESOURCE_GROUP/providers/Microsoft.EventHub/namespaces/$EVENTHUB_NAMESPACE/eventhubs/$EVENTHUB_NAME"
}

cmd_eventhub() {
  require_az
  [[ -n ${EVENTHUB_NAMESPACE:-} ]] || die "set EVENTHUB_NAMESPACE (globally unique)"
  log "resource group $RESOURCE_GROUP ($LOCATION)"
  az_ group create --name "$RESOURCE_GROUP" --location "$LOCATION" >/dev/null
  # Standard or above: the Basic tier has no Kafka endpoint (and one consumer group).
  log "Event Hubs namespace $EVENTHUB_NAMESPACE (Standard: Kafka endpoint)"
  az_ eventhubs namespace create --resource-group "$RESOURCE_GROUP" --name "$EVENTHUB_NAMESPACE" \
    --location "$LOCATION" --sku Standard >/dev/null
  log "event hub $EVENTHUB_NAME ($PARTITIONS partitions) and consumer group $CONSUMER_GROUP"
  az_ eventhubs eventhub create --resource-group "$RESOURCE_GROUP" \
    --namespace-name "$EVENTHUB_NAMESPACE" --name "$EVENTHUB_NAME" \
    --partition-count "$PARTITIONS" >/dev/null
  az_ eventhubs eventhub consumer-group create --resource-group "$RESOURCE_GROUP" \
    --namespace-name "$EVENTHUB_NAMESPACE" --eventhub-name "$EVENTHUB_NAME" \
    --name "$CONSUMER_GROUP" >/dev/null
  # Defender for Cloud writes with a Send policy (used by `export`).
  az_ eventhubs eventhub authorization-rule create --resource-group "$RESOURCE_GROUP" \
    --namespace-name "$EVENTHUB_NAMESPACE" --eventhub-name "$EVENTHUB_NAME" \
    --name defender-send --rights Send >/dev/null
  if [[ $EVENTHUB_AUTH == oauth ]]; then
    local app_id=${APP_ID:?set APP_ID for EVENTHUB_AUTH=oauth}
    log "role Azure Event Hubs Data Receiver for app $app_id on the event hub"
    az_ role assignment create --assignee "$app_id" --role "Azure Event Hubs Data Receiver" \
      --scope "$(eventhub_id)" >/dev/null
    cat <<YAML
# secfeed.yaml: the source (OAuth with the tenant's app)
sources:
  - type: eventhub
    oauth: {tenant: $(tenant_id), namespace: $EVENTHUB_NAMESPACE}
    topic: $EVENTHUB_NAME
    consumer_group: $CONSUMER_GROUP
YAML
  else
    log "Listen policy for secfeed; its connection string -> ./secfeed-eventhub (mode 0600)"
    az_ eventhubs eventhub authorization-rule create --resource-group "$RESOURCE_GROUP" \
      --namespace-name "$EVENTHUB_NAMESPACE" --eventhub-name "$EVENTHUB_NAME" \
      --name secfeed-listen --rights Listen >/dev/null
    (
      umask 077
      az_ eventhubs eventhub authorization-rule keys list --resource-group "$RESOURCE_GROUP" \
        --namespace-name "$EVENTHUB_NAMESPACE" --eventhub-name "$EVENTHUB_NAME" \
        --name secfeed-listen --query primaryConnectionString -o tsv >"$EVENTHUB_FILE"
    )
    cat <<YAML
# secfeed.yaml: the source
sources:
  - type: eventhub
    connection_string_file: /etc/secfeed/eventhub   # the content of ./secfeed-eventhub
    consumer_group: $CONSUMER_GROUP
YAML
  fi
}

# Defender for Cloud continuous export (a Microsoft.Security/automations resource) of
# every data type secfeed reads, streaming and weekly snapshots, to the event hub.
cmd_export() {
  require_az
  [[ -n ${EVENTHUB_NAMESPACE:-} ]] || die "set EVENTHUB_NAMESPACE"
  local subscription send_cs
  subscription=$(subscription_id)
  send_cs=$(az_ eventhubs eventhub authorization-rule keys list --resource-group "$RESOURCE_GROUP" \
    --namespace-name "$EVENTHUB_NAMESPACE" --eventhub-name "$EVENTHUB_NAME" \
    --name defender-send --query primaryConnectionString -o tsv)
  local sources='[' source
  for source in Alerts Assessments AssessmentsSnapshot SubAssessments SubAssessmentsSnapshot \
    SecureScores SecureScoresSnapshot SecureScoreControls SecureScoreControlsSnapshot \
    RegulatoryComplianceAssessment RegulatoryComplianceAssessmentSnapshot; do
    sources+="{\"eventSource\":\"$source\"},"
  done
  sources="${sources%,}]"
  log "continuous export of subscription $subscription to $(eventhub_id)"
  az_ security automation create --resource-group "$RESOURCE_GROUP" --name secfeed-export \
    --location "$LOCATION" \
    --scopes "[{\"description\":\"secfeed\",\"scopePath\":\"/subscriptions/$subscription\"}]" \
    --sources "$sources" \
    --actions "[{\"actionType\":\"EventHub\",\"eventHubResourceId\":\"$(eventhub_id)\",\"connectionString\":\"$send_cs\"}]" \
    >/dev/null
  log "done: Defender for Cloud -> Environment settings -> $subscription -> Continuous export shows it"
}

case ${1:-} in
  app) cmd_app ;;
  eventhub) cmd_eventhub ;;
  export) cmd_export ;;
  consent-url) shift; cmd_consent_url "$@" ;;
  *) sed -n '2,31p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
