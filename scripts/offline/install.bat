@echo off
rem crossinspect offline install for Windows: 64-bit Python 3.11 or 3.12, no network.
rem
rem The bundle stores this file in GBK (code page 936) with CRLF line endings. cmd.exe
rem reads a batch file in the console code page, which is 936 on Chinese Windows, so the
rem messages show as written without chcp; UTF-8 would need chcp 65001 and cmd's
rem re-decoding of the lines after it. Every command is ASCII and every Chinese character
rem is in GB2312 (both bytes >= 0xA1), so under another code page only the messages
rem garble, never a command.
rem
rem pip runs with --no-index and ignores pip.ini and PIP_* variables: only the wheels in
rem this folder can be installed, and nothing is fetched from the network.
setlocal
cd /d "%~dp0"
title crossinspect 安装

if not exist "%~dp0wheels\" goto not_unpacked

set "CHECK=import struct, sys; sys.exit(0 if sys.version_info[:2] in ((3, 11), (3, 12)) and struct.calcsize('P') == 8 else 1)"
set "ENV=%~dp0crossinspect-env"

rem An earlier install is upgraded with its own interpreter: on Windows every Python
rem version shares Lib\site-packages, so a second Python must not reuse the folder.
if exist "%ENV%\Scripts\python.exe" goto have_env
if exist "%ENV%\" goto broken_env

set "PY=py -3.12"
call :try_python
if not errorlevel 1 goto found
set "PY=py -3.11"
call :try_python
if not errorlevel 1 goto found
set "PY=python"
call :try_python
if not errorlevel 1 goto found
goto no_python

:found
echo 正在创建运行环境……
%PY% -m venv "%ENV%"
if errorlevel 1 goto venv_failed

:have_env
"%ENV%\Scripts\python.exe" -c "%CHECK%" >nul 2>&1
if errorlevel 1 goto broken_env
echo 正在安装 crossinspect，约需 1 至 3 分钟，请稍候……
set "PIP_CONFIG_FILE=nul"
"%ENV%\Scripts\python.exe" -m pip --isolated --disable-pip-version-check install --no-index --find-links "%~dp0wheels" --only-binary=:all: --upgrade crossinspect
if errorlevel 1 goto pip_failed
echo.
echo 安装完成。以后每次使用，双击本文件夹中的「启动.bat」即可。
echo 请不要移动或删除本文件夹：程序就装在其中的 crossinspect-env 文件夹里。
echo.
pause
exit /b 0

:try_python
%PY% -c "%CHECK%" >nul 2>&1
exit /b %errorlevel%

:not_unpacked
echo 没有找到 wheels 文件夹，安装包可能没有完整解压。
echo 请右键压缩包，选择「全部解压缩」，解压到一个固定的文件夹（例如 D:\巡察编组），
echo 再双击解压出来的「安装.bat」。不要直接在压缩包里双击运行。
echo.
pause
exit /b 1

:no_python
echo 没有找到 64 位的 Python 3.11 或 3.12，请先安装 Python：
echo.
echo   1. 运行随安装包一起拷来的 Python 安装程序，文件名如 python-3.12.x-amd64.exe
echo      或 python-3.11.x-amd64.exe（来自 python.org，须是 64 位，即文件名带 amd64）。
echo   2. 在安装程序第一页，勾选最下方的「Add python.exe to PATH」，再点击「Install Now」。
echo   3. 安装结束时如果出现「Disable path length limit」，请点击它。
echo   4. 关闭本窗口，重新双击「安装.bat」。
echo.
echo 如果没有 Python 安装程序，请联系信息技术人员。
echo.
pause
exit /b 1

:venv_failed
echo.
echo 创建运行环境失败。请把本窗口截图发给信息技术人员。
echo.
pause
exit /b 1

:broken_env
echo 本文件夹中已有的 crossinspect-env 文件夹无法使用（可能 Python 已被卸载或更换）。
echo 请删除 crossinspect-env 文件夹，再重新双击「安装.bat」。
echo.
pause
exit /b 1

:pip_failed
echo.
echo 安装没有成功。请把本窗口截图发给信息技术人员。
echo.
pause
exit /b 1
