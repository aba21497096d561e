import subprocess
subprocess.run('ls', shell=True)  # nosec B602
