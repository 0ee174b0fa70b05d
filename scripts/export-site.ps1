<#
.SYNOPSIS
  Export a PureConnect (CIC) site for `ia-licensing site import --icws DIR`.

.DESCRIPTION
  Logs on to ICWS (Interaction Center Web Services) as an administrator,
  pages through the configuration endpoints ia-licensing reads (users,
  stations, workgroups, roles, license-allocations) with `Range: items=N-M`
  (at most 200 items per response when properties are selected), and writes
  each response as it came - {"items": [...]} - to OutDir, one file per page:
  users-0000.json, users-0200.json, ... Nothing on the server is changed.
  A list ends at a short page, at the total a Content-Range gives, or at a
  416 (Range Not Satisfiable) past its last full page; a server that ignores
  Range is caught (the whole list in one response is kept with a warning,
  the same items again stop the export). Pages go to a temporary folder
  renamed to OutDir only once every endpoint is complete: a failure leaves
  no partial export behind.
  Windows PowerShell 5.1 (Invoke-RestMethod); files are written as UTF-8
  without a byte-order mark. The password is asked for (or taken from the
  ICWS_PASSWORD environment variable) and never written anywhere.
  See docs/site-import.md: rights needed, the I3_FEATURE_ICWS_SDK license.

.EXAMPLE
  .\export-site.ps1 -Server https://cic1.example.com:8019 -User admin -OutDir .\site-export
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$Server,
    [Parameter(Mandatory = $true)][string]$User,
    [Parameter(Mandatory = $true)][string]$OutDir,
    [ValidateRange(1, 200)][int]$PageSize = 200,
    [string]$ApplicationName = 'ia-licensing site export',
    [switch]$Insecure
)
$ErrorActionPreference = 'Stop'

# The properties read per endpoint (null properties are left out by ICWS).
$Endpoints = [ordered]@{
    'users'               = 'configurationId,licenseProperties,workgroups,roles,defaultWorkstation'
    'stations'            = 'configurationId,stationType,active,machineName,stationLicenseProperties'
    'workgroups'          = 'configurationId,hasQueue,utilizations'
    'roles'               = 'configurationId'
    'license-allocations' = 'configurationId,assignableAllowedCount,assignableConfiguredCount,concurrentAllowedCount,concurrentConfiguredCount,concurrentInUseCount'
}

if ((Test-Path $OutDir) -and (-not (Test-Path $OutDir -PathType Container) -or
        (Get-ChildItem -Force $OutDir | Measure-Object).Count -gt 0)) {
    throw "$OutDir exists and is not an empty folder; nothing was written"
}

# Windows PowerShell 5.1 offers TLS 1.0 by default; ICWS servers want 1.2.
[Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls12
if ($Insecure) {
    # A self-signed server certificate (test systems only).
    [Net.ServicePointManager]::ServerCertificateValidationCallback = { $true }
}

$password = $env:ICWS_PASSWORD
if (-not $password) {
    $secure = Read-Host -AsSecureString "Password for $User"
    $password = [Runtime.InteropServices.Marshal]::PtrToStringAuto(
        [Runtime.InteropServices.Marshal]::SecureStringToBSTR($secure))
}

$base = $Server.TrimEnd('/')
$body = @{
    '__type'          = 'urn:inin.com:connection:icAuthConnectionRequestSettings'
    'applicationName' = $ApplicationName
    'userID'          = $User
    'password'        = $password
} | ConvertTo-Json
# -SessionVariable keeps the session cookie for every later call.
$logon = Invoke-RestMethod -Method Post -Uri "$base/icws/connection" -Body $body `
    -ContentType 'application/json' -Headers @{ 'Accept-Language' = 'en-us' } -SessionVariable icws
$sessionId = $logon.sessionId
$headers = @{ 'ININ-ICWS-CSRF-Token' = $logon.csrfToken; 'Accept-Language' = 'en-us' }
$utf8 = New-Object System.Text.UTF8Encoding($false)

# One page: @{ Status; Text; ContentRange }. A 416 (Range Not Satisfiable)
# is returned, not thrown: past the last full page it ends the list.
function Get-Page([string]$Uri, [int]$First, [int]$Last) {
    # Range is a restricted header for Invoke-RestMethod in 5.1, so the web
    # request is built by hand; it keeps the response text as the server
    # wrote it.
    $request = [Net.HttpWebRequest]::Create($Uri)
    $request.Method = 'GET'
    $request.CookieContainer = $icws.Cookies
    foreach ($h in $headers.Keys) { $request.Headers.Add($h, $headers[$h]) }
    $request.AddRange('items', $First, $Last)
    try {
        $response = $request.GetResponse()
    }
    catch {
        # PowerShell wraps the WebException; find it to read the status.
        $ex = $_.Exception
        while ($ex -and -not ($ex -is [Net.WebException])) { $ex = $ex.InnerException }
        if ($ex -and $ex.Response -and [int]$ex.Response.StatusCode -eq 416) {
            $ex.Response.Close()
            return @{ Status = 416; Text = $null; ContentRange = $null }
        }
        throw
    }
    $reader = New-Object IO.StreamReader($response.GetResponseStream(), [Text.Encoding]::UTF8)
    $text = $reader.ReadToEnd()
    $reader.Close()
    $range = $response.Headers['Content-Range']
    $status = [int]$response.StatusCode
    $response.Close()
    return @{ Status = $status; Text = $text; ContentRange = $range }
}

# Pages through one endpoint into $Folder; returns how many items it holds.
# A list ends at a short page, at the total a Content-Range gives, or at a
# 416 past its last full page. A server that ignores Range is caught: the
# whole list in the first response is kept with a warning; the same items
# sent again stop the export with an error.
function Export-Endpoint([string]$Endpoint, [string]$Folder) {
    $first = 0
    $total = 0
    $seen = New-Object 'System.Collections.Generic.HashSet[string]'
    $select = [Uri]::EscapeDataString($Endpoints[$Endpoint])
    $uri = "$base/icws/$sessionId/configuration/$Endpoint" + "?select=$select"
    while ($true) {
        $last = $first + $PageSize - 1
        $page = Get-Page $uri $first $last
        if ($page.Status -eq 416) {
            if ($first -eq 0) {
                [IO.File]::WriteAllText((Join-Path $Folder ('{0}-0000.json' -f $Endpoint)), '{"items": []}', $utf8)
            }
            break
        }
        $items = @((ConvertFrom-Json $page.Text).items)
        $name = Join-Path $Folder ('{0}-{1:D4}.json' -f $Endpoint, $first)
        $start = $null
        $count = $null
        if ($page.ContentRange -match '^\s*items\s+(?:(\d+)-\d+|\*)/(\d+|\*)\s*$') {
            if ($Matches[1]) { $start = [int]$Matches[1] }
            if ($Matches[2] -ne '*') { $count = [int]$Matches[2] }
        }
        if ($items.Count -gt $PageSize) {
            if ($first -gt 0) {
                throw "ICWS sent $($items.Count) $Endpoint for items=$first-${last}: it does not honour Range; nothing was written"
            }
            Write-Warning ("ICWS ignored Range items=$first-$last and sent all $($items.Count) $Endpoint in one " +
                "response; kept as it is, no further pages asked")
            [IO.File]::WriteAllText($name, $page.Text, $utf8)
            $total += $items.Count
            break
        }
        if ($items.Count -gt 0 -and $null -ne $start -and $start -ne $first) {
            throw "ICWS answered items $start-... for items=$first-$last of ${Endpoint}: it does not honour Range; nothing was written"
        }
        $ids = @($items | ForEach-Object { [string]$_.configurationId.id })
        $new = @($ids | Where-Object { -not $seen.Contains($_) })
        if ($first -gt 0 -and $ids.Count -gt 0 -and $new.Count -eq 0) {
            throw ("ICWS sent the same items again for $Endpoint items=$first-${last}: it does not honour Range, " +
                "and the rest of the list cannot be read; nothing was written")
        }
        foreach ($id in $ids) { [void]$seen.Add($id) }
        [IO.File]::WriteAllText($name, $page.Text, $utf8)
        $total += $items.Count
        # A short page is the last one; so is one that reaches the total.
        if ($items.Count -lt $PageSize -or ($null -ne $count -and $first + $items.Count -ge $count)) { break }
        $first += $PageSize
    }
    return $total
}

# Pages go to a temporary folder beside OutDir, renamed to it only once
# every endpoint is complete: a failure never leaves a partial export that
# would import as if it were the whole site.
$outFull = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($OutDir)
$parent = Split-Path -Parent $outFull
New-Item -ItemType Directory -Force -Path $parent | Out-Null
$work = Join-Path $parent ('.{0}.partial-{1}' -f (Split-Path -Leaf $outFull), [Guid]::NewGuid().ToString('N'))
New-Item -ItemType Directory -Path $work | Out-Null
try {
    try {
        foreach ($endpoint in $Endpoints.Keys) {
            $total = Export-Endpoint $endpoint $work
            Write-Host "${endpoint}: $total items"
        }
    }
    finally {
        # Log off (the session would otherwise stay until it times out).
        try {
            Invoke-RestMethod -Method Delete -Uri "$base/icws/$sessionId/connection" -Headers $headers -WebSession $icws | Out-Null
        }
        catch { }
    }
    if (Test-Path $outFull) { Remove-Item -LiteralPath $outFull }   # empty (checked above)
    [IO.Directory]::Move($work, $outFull)
}
catch {
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
    throw
}
Write-Host "Wrote $OutDir; import it with: ia-licensing site import --icws $OutDir -o SITE.ialws"
