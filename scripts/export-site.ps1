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

if ((Test-Path $OutDir) -and ((Get-ChildItem -Force $OutDir | Measure-Object).Count -gt 0)) {
    throw "$OutDir exists and is not empty; nothing was written"
}
New-Item -ItemType Directory -Force -Path $OutDir | Out-Null

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

try {
    foreach ($endpoint in $Endpoints.Keys) {
        $first = 0
        $total = 0
        while ($true) {
            $last = $first + $PageSize - 1
            $select = [Uri]::EscapeDataString($Endpoints[$endpoint])
            $uri = "$base/icws/$sessionId/configuration/$endpoint" + "?select=$select"
            # Invoke-WebRequest keeps the response text as the server wrote it;
            # Range is a restricted header for Invoke-RestMethod in 5.1, so the
            # web request is built by hand.
            $request = [Net.HttpWebRequest]::Create($uri)
            $request.Method = 'GET'
            $request.CookieContainer = $icws.Cookies
            foreach ($h in $headers.Keys) { $request.Headers.Add($h, $headers[$h]) }
            $request.AddRange('items', $first, $last)
            $response = $request.GetResponse()
            $reader = New-Object IO.StreamReader($response.GetResponseStream(), [Text.Encoding]::UTF8)
            $text = $reader.ReadToEnd()
            $reader.Close()
            $response.Close()
            $name = Join-Path $OutDir ('{0}-{1:D4}.json' -f $endpoint, $first)
            [IO.File]::WriteAllText($name, $text, $utf8)
            $count = @((ConvertFrom-Json $text).items).Count
            $total += $count
            # A short page is the last one.
            if ($count -lt $PageSize) { break }
            $first += $PageSize
        }
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
Write-Host "Wrote $OutDir; import it with: ia-licensing site import --icws $OutDir -o SITE.ialws"
