package python

import "gorun/engine/module"

var pipDoc = &module.Doc{
	Name:        "pip",
	Names:       []string{"ansible.builtin.pip"},
	Short:       "Manages Python library dependencies",
	Description: []string{"Manage Python library dependencies. To use this module, one of the following keys is required: C(name) or C(requirements)."},
	Options: []module.Option{
		{Name: "name", Type: "list", Elements: "str", Description: "The name of a Python library to install or the url(bzr+,hg+,git+,svn+) of the remote package. This can be a list (since 2.2) and contain version specifiers (since 2.7)."},
		{Name: "version", Description: "The version number to install of the Python library specified in the I(name) parameter."},
		{Name: "requirements", Description: "The path to a pip requirements file, which should be local to the remote system. File can be specified as a relative path if using the chdir option."},
		{Name: "virtualenv", Type: "path", Description: "An optional path to a I(virtualenv) directory to install into. It cannot be specified together with the 'executable' parameter (added in 2.1). If the virtualenv does not exist, it will be created before installing packages. The optional virtualenv_site_packages, virtualenv_command, and virtualenv_python options affect the creation of the virtualenv."},
		{Name: "virtualenv_site_packages", Type: "bool", Default: "no", Description: "Whether the virtual environment will inherit packages from the global site-packages directory.  Note that if this setting is changed on an already existing virtual environment it will not have any effect, the environment must be deleted and newly created."},
		{Name: "virtualenv_command", Type: "path", Default: "virtualenv", Description: "The command or a pathname to the command to create the virtual environment with. For example C(pyvenv), C(virtualenv), C(virtualenv2), C(~/bin/virtualenv), C(/usr/local/bin/virtualenv)."},
		{Name: "virtualenv_python", Description: "The Python executable used for creating the virtual environment. For example C(python3.5), C(python2.7). When not specified, the Python version used to run the ansible module is used. This parameter should not be used when C(virtualenv_command) is using C(pyvenv) or the C(-m venv) module."},
		{Name: "state", Default: "present", Choices: []any{"absent", "forcereinstall", "latest", "present"}, Description: "The state of module The 'forcereinstall' option is only available in Ansible 2.1 and above."},
		{Name: "extra_args", Description: "Extra arguments passed to pip."},
		{Name: "editable", Type: "bool", Default: "no", Description: "Pass the editable flag."},
		{Name: "chdir", Type: "path", Description: "cd into this directory before running the command"},
		{Name: "executable", Type: "path", Description: "The explicit executable or pathname for the pip executable, if different from the Ansible Python interpreter. For example C(pip3.3), if there are both Python 2.7 and 3.3 installations in the system and you want to run pip for the Python 3.3 installation. Mutually exclusive with I(virtualenv) (added in 2.1). Does not affect the Ansible Python interpreter. The setuptools package must be installed for both the Ansible Python interpreter and for the version of Python specified by this option."},
		{Name: "umask", Description: "The system umask to apply before installing the pip package. This is useful, for example, when installing on systems that have a very restrictive umask by default (e.g., \"0077\") and you want to pip install packages which are to be used by all users. Note that this requires you to specify desired umask mode as an octal string, (e.g., \"0022\")."},
	},
	RequiredOneOf:     [][]string{{"name", "requirements"}},
	MutuallyExclusive: [][]string{{"name", "requirements"}, {"executable", "virtualenv"}},
	Check:             module.Full,
	Diff:              module.None,
	Examples: `- name: Install bottle python package
  ansible.builtin.pip:
    name: bottle

- name: Install bottle python package on version 0.11
  ansible.builtin.pip:
    name: bottle==0.11

- name: Install bottle python package with version specifiers
  ansible.builtin.pip:
    name: bottle>0.10,<0.20,!=0.11

- name: Install multi python packages with version specifiers
  ansible.builtin.pip:
    name:
      - django>1.11.0,<1.12.0
      - bottle>0.10,<0.20,!=0.11

- name: Install python package using a proxy
  ansible.builtin.pip:
    name: six
  environment:
    http_proxy: 'http://127.0.0.1:8080'
    https_proxy: 'https://127.0.0.1:8080'

# You do not have to supply '-e' option in extra_args
- name: Install MyApp using one of the remote protocols (bzr+,hg+,git+,svn+)
  ansible.builtin.pip:
    name: svn+http://myrepo/svn/MyApp#egg=MyApp

- name: Install MyApp using one of the remote protocols (bzr+,hg+,git+)
  ansible.builtin.pip:
    name: git+http://myrepo/app/MyApp

- name: Install MyApp from local tarball
  ansible.builtin.pip:
    name: file:///path/to/MyApp.tar.gz

- name: Install bottle into the specified (virtualenv), inheriting none of the globally installed modules
  ansible.builtin.pip:
    name: bottle
    virtualenv: /my_app/venv

- name: Install bottle into the specified (virtualenv), inheriting globally installed modules
  ansible.builtin.pip:
    name: bottle
    virtualenv: /my_app/venv
    virtualenv_site_packages: yes

- name: Install bottle into the specified (virtualenv), using Python 2.7
  ansible.builtin.pip:
    name: bottle
    virtualenv: /my_app/venv
    virtualenv_command: virtualenv-2.7

- name: Install bottle within a user home directory
  ansible.builtin.pip:
    name: bottle
    extra_args: --user

- name: Install specified python requirements
  ansible.builtin.pip:
    requirements: /my_app/requirements.txt

- name: Install specified python requirements in indicated (virtualenv)
  ansible.builtin.pip:
    requirements: /my_app/requirements.txt
    virtualenv: /my_app/venv

- name: Install specified python requirements and custom Index URL
  ansible.builtin.pip:
    requirements: /my_app/requirements.txt
    extra_args: -i https://example.com/pypi/simple

- name: Install specified python requirements offline from a local directory with downloaded packages
  ansible.builtin.pip:
    requirements: /my_app/requirements.txt
    extra_args: "--no-index --find-links=file:///my_downloaded_packages_dir"

- name: Install bottle for Python 3.3 specifically, using the 'pip3.3' executable
  ansible.builtin.pip:
    name: bottle
    executable: pip3.3

- name: Install bottle, forcing reinstallation if it's already installed
  ansible.builtin.pip:
    name: bottle
    state: forcereinstall

- name: Install bottle while ensuring the umask is 0022 (to ensure other users can use it)
  ansible.builtin.pip:
    name: bottle
    umask: "0022"
  become: True`,
	Returns: []module.Return{
		{Name: "cmd", Description: "pip command used by the module", Returned: "success", Type: "str"},
		{Name: "name", Description: "list of python modules targeted by pip", Returned: "success", Type: "list"},
		{Name: "requirements", Description: "Path to the requirements file", Returned: "success, if a requirements file was provided", Type: "str"},
		{Name: "version", Description: "Version of the package specified in 'name'", Returned: "success, if a name and version were provided", Type: "str"},
		{Name: "virtualenv", Description: "Path to the virtualenv", Returned: "success, if a virtualenv path was provided", Type: "str"},
	},
	Notes: []string{"Python installations marked externally-managed (as defined by PEP668) cannot be updated by pip versions >= 23.0.1 without the use of a virtual environment or setting the environment variable ``PIP_BREAK_SYSTEM_PACKAGES=1``.", "The virtualenv (U(http://www.virtualenv.org/)) must be installed on the remote host if the virtualenv parameter is specified and the virtualenv needs to be created.", "Although it executes using the Ansible Python interpreter, the pip module shells out to run the actual pip command, so it can use any pip version you specify with I(executable). By default, it uses the pip version for the Ansible Python interpreter. For example, pip3 on python 3, and pip2 or pip on python 2.", "The interpreter used by Ansible (see R(ansible_python_interpreter, ansible_python_interpreter)) requires the setuptools package, regardless of the version of pip set with the I(executable) option.", "gorun: runs pip on the target with the command lines of Ansible's module; version specifiers are compared with PEP 440 in Go (no setuptools needed on the target)."},
}
