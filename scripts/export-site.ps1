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
  A page shorter than asked does not end a list (ICWS enforces its limits
  whatever the Range asks): the next page starts after the last item
  received. A list ends at an empty page, at a 416 (Range Not Satisfiable),
  or at the total a Content-Range gives. A server that ignores Range is
  caught (the whole list in one response is kept with a warning); the same
  items again, pages past the announced total, or more than -MaxItems items
  (1,000,000 by default) stop the export with an error. Pages go to a
  temporary folder renamed to OutDir only once every endpoint is complete:
  a failure (Ctrl+C included) leaves no partial export behind.
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
    [switch]$Insecure,
    # Stop with an error when one endpoint sends more items than this
    # without ending its list.
    [ValidateRange(1, 2147483647)][int]$MaxItems = 1000000
)
$ErrorActionPreference = 'Stop'
# Bounds on a server that never ends a list: pages per endpoint, and what
# `ia-licensing site import` reads at most (256 MiB, all files together).
$MaxPages = 20000
$MaxExportBytes = 256MB
$script:exportBytes = 0

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

# Ends the export: the temporary folder is removed, nothing is written.
function Stop-Export([string]$Message) {
    throw "$Message; nothing was written"
}

# Writes one response as it came, counting the bytes of the whole export.
function Write-Page([string]$Folder, [string]$Endpoint, [int]$First, [string]$Text) {
    $script:exportBytes += $utf8.GetByteCount($Text)
    if ($script:exportBytes -gt $MaxExportBytes) {
        Stop-Export ("the export is larger than the 256 MiB ``ia-licensing site import`` reads (at $Endpoint " +
            "items $First-...); export fewer properties or split the site")
    }
    [IO.File]::WriteAllText((Join-Path $Folder ('{0}-{1:D4}.json' -f $Endpoint, $First)), $Text, $utf8)
}

# Pages through one endpoint into $Folder; returns how many items it holds.
# The ICWS help enforces its result limits "regardless of the value of the
# Range header", so a page shorter than asked says only that the server sent
# fewer: the next page is asked from the item after the last one received.
# The list ends at an empty page, at a 416, or when the total a
# Content-Range announced is reached. A server that does not page as asked
# is caught, and the bounds above stop the rest, instead of paging forever.
function Export-Endpoint([string]$Endpoint, [string]$Folder) {
    $first = 0
    $total = 0
    $pages = 0
    $seen = New-Object 'System.Collections.Generic.HashSet[string]'
    $received = New-Object 'System.Collections.Generic.List[string]'
    $select = [Uri]::EscapeDataString($Endpoints[$Endpoint])
    $uri = "$base/icws/$sessionId/configuration/$Endpoint" + "?select=$select"
    while ($true) {
        $last = $first + $PageSize - 1
        $page = Get-Page $uri $first $last
        $pages++
        if ($page.Status -eq 416) {
            # Range Not Satisfiable: nothing is left past the items received.
            if ($first -eq 0) { Write-Page $Folder $Endpoint 0 '{"items": []}' }
            break
        }
        $parsed = ConvertFrom-Json $page.Text
        if ($null -eq $parsed -or -not ($parsed.PSObject.Properties.Name -contains 'items')) {
            Stop-Export "ICWS answered $Endpoint items $first-$last without a list of items"
        }
        $items = @($parsed.items)
        $start = $null
        $count = $null
        if ($page.ContentRange -match '^\s*items\s+(?:(\d+)-\d+|\*)/(\d+|\*)\s*$') {
            if ($Matches[1]) { $start = [int]$Matches[1] }
            if ($Matches[2] -ne '*') { $count = [int]$Matches[2] }
        }
        if ($items.Count -gt $PageSize) {
            if ($first -gt 0) {
                Stop-Export "ICWS sent $($items.Count) $Endpoint when $PageSize were asked (items $first-$last): it does not page as asked"
            }
            Write-Warning ("ICWS ignored Range items=$first-$last and sent all $($items.Count) $Endpoint in one " +
                "response; kept as it is, no further pages asked")
            Write-Page $Folder $Endpoint $first $page.Text
            $total += $items.Count
            break
        }
        if ($items.Count -eq 0) {
            # An empty page: the list has ended (an empty list is written
            # once, so the folder says the endpoint was exported).
            if ($first -eq 0) { Write-Page $Folder $Endpoint 0 $page.Text }
            break
        }
        if ($null -ne $start -and $start -ne $first) {
            Stop-Export "ICWS answered items $start-... when items $first-$last of $Endpoint were asked: it does not page as asked"
        }
        if ($null -ne $count -and $first + $items.Count -gt $count) {
            Stop-Export ("ICWS announced {0:N0} $Endpoint but sent {1:N0}: the list cannot be trusted" -f $count, ($first + $items.Count))
        }
        $ids = @($items | ForEach-Object { [string]$_.configurationId.id })
        $new = @($ids | Where-Object { -not $seen.Contains($_) })
        if ($first -gt 0 -and $total -lt $PageSize -and $ids.Count -eq $received.Count -and
            $null -eq (Compare-Object -SyncWindow 0 $ids $received.ToArray())) {
            # A server that ignores Range sends its whole list whatever is
            # asked: a list shorter than a page came whole in the first
            # response, and has come again.
            Write-Warning ("ICWS ignored Range items=$first-$last and sent the same $total $Endpoint again; the first " +
                "response held the whole list, kept as it is")
            break
        }
        if ($first -gt 0 -and $new.Count -eq 0) {
            Stop-Export ("ICWS sent the same items again for $Endpoint items $first-${last}: it does not page as asked, " +
                "and the rest of the list cannot be read")
        }
        foreach ($id in $ids) { [void]$seen.Add($id); $received.Add($id) }
        Write-Page $Folder $Endpoint $first $page.Text
        $total += $items.Count
        if ($null -ne $count -and $total -ge $count) { break }
        if ($total -gt $MaxItems) {
            # (-f binds tighter than +: the text is joined first.)
            Stop-Export (("ICWS sent more than {0:N0} $Endpoint without ending the list (no empty page, no 416, " +
                "no total reached); if the site really is this large, give a larger -MaxItems") -f $MaxItems)
        }
        if ($pages -ge $MaxPages) {
            Stop-Export (("ICWS sent {0:N0} pages of $Endpoint ({1:N0} items) without ending the list (no empty " +
                "page, no 416, no total reached)") -f $pages, $total)
        }
        $first += $items.Count
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
$done = $false
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
    $done = $true
}
finally {
    # A failure or Ctrl+C (which runs finally blocks, not catch blocks)
    # removes the temporary folder.
    if (-not $done) { Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue }
}
Write-Host "Wrote $OutDir; import it with: ia-licensing site import --icws $OutDir -o SITE.ialws"
