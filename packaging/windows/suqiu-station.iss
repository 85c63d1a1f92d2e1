; Inno Setup 6 script for village/township PCs (Windows 10/11 x64; Qt 6 needs Windows 10+).
; How to build it, step by step: docs/BUILD.md ("Windows").  In short, from the checkout:
;   py scripts\render_icons.py                     (build\icons\suqiu-station.ico)
;   .venv\Scripts\pyinstaller --noconfirm packaging\suqiu-station.spec   (dist\suqiu-station\)
;   iscc packaging\windows\suqiu-station.iss       (dist\suqiu-station-setup-<version>.exe)
;
; Per user, no administrator: a village PC has no admin rights and no technician nearby.
;   * PrivilegesRequired=lowest and no override: Setup never asks for elevation.
;   * The program goes to {userpf}\Suqiu, i.e. %LOCALAPPDATA%\Programs\Suqiu; shortcuts to
;     the user's Start menu and desktop; the uninstaller registers under HKCU.
;   * Data (database, backups, attachments, logs) lives in %LOCALAPPDATA%\suqiu, the
;     station's platformdirs folder (station_app/paths.py), which is NOT under {app}:
;     neither install, upgrade nor uninstall touches it, so uninstalling keeps every case.
; tests/build/test_windows_installer.py checks these settings.
#define AppVersion "0.1.0"

[Setup]
AppId={{6F1D7C3E-2B7A-4E1B-9A53-5C7D1E0B8A21}
AppName=诉求通 Suqiu
AppVersion={#AppVersion}
AppVerName=诉求通 Suqiu {#AppVersion}
AppPublisher=Suqiu
PrivilegesRequired=lowest
DefaultDirName={userpf}\Suqiu
DefaultGroupName=诉求通
DisableProgramGroupPage=yes
UsedUserAreasWarning=no
OutputDir=..\..\dist
OutputBaseFilename=suqiu-station-setup-{#AppVersion}
SetupIconFile=..\..\build\icons\suqiu-station.ico
UninstallDisplayIcon={app}\suqiu-station.exe
UninstallDisplayName=诉求通 Suqiu
Compression=lzma2/max
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
WizardStyle=modern
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "chinesesimp"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; an upgrade replaces the program folder's bundle whole, so no DLL of an old Qt lingers;
; only under {app}: the data folder is elsewhere and never deleted
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "..\..\dist\suqiu-station\*"; DestDir: "{app}"; Flags: recursesubdirs createallsubdirs ignoreversion

[Icons]
Name: "{autoprograms}\诉求通"; Filename: "{app}\suqiu-station.exe"; Parameters: "run"
Name: "{autodesktop}\诉求通"; Filename: "{app}\suqiu-station.exe"; Parameters: "run"; Tasks: desktopicon

[Run]
Filename: "{app}\suqiu-station.exe"; Parameters: "run"; Description: "启动诉求通"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete]: the uninstaller removes what Setup installed and nothing else.

[Code]
{ The bundle's self-test (it opens every screen offscreen) in a throw-away data folder under
  Setup's {tmp}: a fresh folder gets demo data, so it must never run on the clerk's real
  data folder.  A failure cannot undo the copy, so the clerk is told whom to call. }
procedure CurStepChanged(CurStep: TSetupStep);
var
  ResultCode: Integer;
begin
  if CurStep = ssPostInstall then
  begin
    if not Exec(ExpandConstant('{app}\suqiu-station.exe'),
                '--data-dir "' + ExpandConstant('{tmp}\selftest-data') + '" selftest',
                '', SW_HIDE, ewWaitUntilTerminated, ResultCode) or (ResultCode <> 0) then
      MsgBox('诉求通已安装，但自检没有通过（代码 ' + IntToStr(ResultCode) + '）。' + #13#10 +
             '请联系县里的技术人员，并告诉他这个代码。', mbError, MB_OK);
  end;
end;
